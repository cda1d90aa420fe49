using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The session's settings twice over: what the client configured (<see cref="Client"/>, what session.updated shows) and
/// what the current Gemini connection was set up with (<see cref="Applied"/>). Gemini takes its settings only in setup,
/// so a client change that alters the setup (<see cref="NeedsNewSetup"/>) is applied by switching connections.
/// </summary>
internal sealed class GeminiSessionSettings(string upstreamModel, GeminiProviderOptions options, RealtimeSessionConfig initial)
{
    private string _appliedFingerprint = GeminiSetupWriter.Fingerprint(initial, upstreamModel, options);

    /// <summary>The session the client sees.</summary>
    public RealtimeSessionConfig Client { get; private set; } = initial;

    /// <summary>What the current connection runs (cancel signalling follows it).</summary>
    public RealtimeSessionConfig Applied { get; private set; } = initial.Clone();

    /// <summary>The client's settings differ from the connection's in something the setup carries.</summary>
    public bool NeedsNewSetup => GeminiSetupWriter.Fingerprint(Client, upstreamModel, options) != _appliedFingerprint;

    /// <summary>A session.update the client made (validated): session.updated shows it.</summary>
    public void Update(RealtimeSessionConfig updated) => Client = updated;

    /// <summary>A new connection was set up with <paramref name="target"/>.</summary>
    public void ConnectionRuns(RealtimeSessionConfig target)
    {
        Applied = target;
        _appliedFingerprint = GeminiSetupWriter.Fingerprint(target, upstreamModel, options);
    }

    /// <summary>A checkpointed session's settings: the client had them, and the first connection is set up with them.</summary>
    public void Restore(RealtimeSessionConfig config)
    {
        Client = config;
        ConnectionRuns(config.Clone());
    }
}
