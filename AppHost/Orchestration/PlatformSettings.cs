namespace VoicePlatform.AppHost.Orchestration;

/// <summary>What AppHost's command line (or a test) asks of the platform.</summary>
public sealed record PlatformSettings
{
    public required string RepositoryRoot { get; init; }

    /// <summary>Data, certificates, keys and endpoints.json (AppHost: <c>.apphost/</c>).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Gateway HTTP port; 0 picks a free one.</summary>
    public int GatewayPort { get; init; } = 5080;

    /// <summary>Gateway HTTPS port; 0 picks a free one.</summary>
    public int GatewayTlsPort { get; init; } = 5443;

    public int RouterReplicas { get; init; } = 2;

    public int GatewayReplicas { get; init; } = 1;

    /// <summary>How often a service or server whose process exits on its own is started again in one run.</summary>
    public int MaxRestarts { get; init; } = 1;

    /// <summary>Build configuration whose outputs are run (the one AppHost itself was built with).</summary>
    public string Configuration { get; init; } = Platform.PlatformOptions.BuildConfiguration;
}
