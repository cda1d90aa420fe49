namespace VoicePlatform.Gateway.ClientErrors;

/// <summary>
/// How a downstream service's failures read to a client: the code and words of its 503, and what its NOT_FOUND is
/// (the thing a tenant asked for — another tenant's is reported the same way, so existence is not revealed).
/// </summary>
public sealed record DownstreamService(string Name, string UnavailableCode, string UnavailableMessage,
    string NotFoundCode = "session_not_found", string? NotFoundParam = "id", string AlreadyExistsCode = "conflict")
{
    public static readonly DownstreamService Transcripts = new("Transcripts", "transcripts_unavailable",
        "The transcript store is temporarily unavailable. Please retry.");

    public static readonly DownstreamService Insights = new("Insights", "insights_unavailable",
        "The insights service is temporarily unavailable. Please retry.");

    public static readonly DownstreamService Billing = new("Billing", "billing_unavailable",
        "Usage and billing data are temporarily unavailable. Please retry.");

    public static readonly DownstreamService Tools = new("Tools", "tools_unavailable",
        "The tool registry is temporarily unavailable. Please retry.", "tool_not_found", "name", "tool_already_exists");

    /// <summary>Routes and experiments (the Router); the caller names what was not found (route or experiment).</summary>
    public static DownstreamService Routing(string notFoundCode) => new("Router (routing)", "routing_unavailable",
        "Routes and experiments are temporarily unavailable. Please retry.", notFoundCode, NotFoundParam: null);
}
