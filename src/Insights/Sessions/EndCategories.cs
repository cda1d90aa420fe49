namespace VoicePlatform.Insights.Sessions;

/// <summary>
/// A session's end reason (the Gateway's or the Router's word) as one of the categories the insights report:
/// client_closed, idle, limit, provider_error, platform_error, other.
/// </summary>
public static class EndCategories
{
    public const string ClientClosed = "client_closed";
    public const string Idle = "idle";
    public const string Limit = "limit";
    public const string ProviderError = "provider_error";
    public const string PlatformError = "platform_error";
    public const string Other = "other";

    public static string Map(string? reason) => reason switch
    {
        null or "" => Other,
        "client_closed" => ClientClosed,
        "idle" or "idle_timeout" or "timeout" => Idle,
        "provider_error" or "provider_refused" or "provider_closed" => ProviderError,
        "platform_error" or "error" or "gateway_gone" or "no_router" => PlatformError,
        _ when reason.Contains("limit", StringComparison.Ordinal) || reason.Contains("budget", StringComparison.Ordinal) => Limit,
        _ => Other,
    };

    public static bool IsError(string category) => category is ProviderError or PlatformError;
}
