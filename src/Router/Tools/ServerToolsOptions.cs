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
    /// gRPC deadline of one <c>ExecuteTool</c> call: the longest tool timeout the registry allows (60 s) plus a margin.
    /// The Tools service enforces each tool's own timeout; this only bounds a Tools service that stopped answering.
    /// </summary>
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>How long a session.update (or session start) waits for the tenant's tool list.</summary>
    public TimeSpan RegistryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After end_session, how long the assistant's closing reply may take before the session ends anyway.</summary>
    public TimeSpan EndSessionGrace { get; set; } = TimeSpan.FromSeconds(30);
}
