using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Insights.Retention;

/// <summary>The tenant's retention read from the Transcripts service (<c>GetRetention</c>): one setting for all of a session's data.</summary>
public sealed class TranscriptsTenantRetention(TranscriptStore.TranscriptStoreClient transcripts, ILogger<TranscriptsTenantRetention> logger) : ITenantRetention
{
    public async Task<int?> GetDaysAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        try
        {
            var settings = await transcripts.GetRetentionAsync(new GetRetentionRequest { TenantId = tenantId.ToString() },
                deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
            return settings.RetentionDays;
        }
        catch (RpcException ex)
        {
            logger.LogWarning(ex, "Could not read the retention of tenant {TenantId}; its insights are kept until the next run", tenantId);
            return null;
        }
    }
}
