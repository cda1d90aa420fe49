namespace VoicePlatform.Insights.Retention;

/// <summary>How many days a tenant's session data is kept. The setting is the tenant's transcript retention, owned by Transcripts.</summary>
public interface ITenantRetention
{
    /// <returns>The days, or null when the setting cannot be read now (the tenant is skipped this run: nothing is deleted on a guess).</returns>
    Task<int?> GetDaysAsync(Guid tenantId, CancellationToken cancellationToken);
}
