using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Router.Tools;

/// <summary>How the Router runs server-side tools (section <c>ServerTools</c>).</summary>
public sealed class ServerToolsOptions
{
    public const string Section = "ServerTools";

    /// <summary>
    /// Whether sessions use the Tools service. Unset: on when service discovery knows it (<c>services:tools:grpc:0</c>,
    /// which AppHost and the manifests provide); off means platform tools are refused and sessions never wait for it.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Added to a tool's own timeout (<c>ToolDefinition.timeout_ms</c>, which the Tools service enforces) to make the
    /// gRPC deadline of one <c>ExecuteTool</c> call: room for the round trip and the service's own work. The deadline
    /// only bounds a Tools service that stopped answering, so it must never cut a call the tool's timeout allows.
    /// </summary>
    public TimeSpan CallDeadlineMargin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// gRPC deadline of a call whose tool announces no timeout (an older Tools service): the longest tool timeout the
    /// registry allows (60 s) plus a margin.
    /// </summary>
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>The <c>ExecuteTool</c> deadline for <paramref name="tool"/>: its timeout plus the margin.</summary>
    public TimeSpan DeadlineFor(ToolDefinition? tool) =>
        tool is { TimeoutMs: > 0 } ? TimeSpan.FromMilliseconds(tool.TimeoutMs) + CallDeadlineMargin : CallDeadline;

    /// <summary>How long a session.update (or session start) waits for the tenant's tool list.</summary>
    public TimeSpan RegistryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one tenant's tool list is shared by re-attaching sessions (a failover moves many at once).</summary>
    public TimeSpan ResumeListReuse { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After end_session, how long the assistant's closing reply may take before the session ends anyway.</summary>
    public TimeSpan EndSessionGrace { get; set; } = TimeSpan.FromSeconds(30);
}
