namespace VoicePlatform.Gateway.ApiKeys;

public sealed class ApiKeyOptions
{
    /// <summary>How long a key lookup is cached. Revocation also evicts at once through Redis; this bounds the worst case.</summary>
    public int ApiKeyCacheSeconds { get; set; } = 5;

    /// <summary>How many unrevoked keys a tenant may hold; <c>POST /v1/keys</c> answers 409 beyond it.</summary>
    public int MaxActiveKeysPerTenant { get; set; } = 100;
}
