namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Times a new session's set-up on the Gateway, phase by phase, from the upgrade request to the client's
/// <c>session.created</c> (<c>voiceplatform.gateway.realtime.setup.duration</c>, tag <c>phase</c>): the operator sees
/// which part of connect → <c>session.created</c> is slow. The phases are kept until the set-up completes and recorded
/// together, so a connection refused half-way (or a resumed one, which gets no <c>session.created</c>) records nothing.
/// </summary>
public sealed class SessionSetupTimer
{
    private static readonly string[] PhaseNames = ["authenticate", "admit", "upgrade", "prepare", "router", "resume_token", "deliver"];
    private readonly RealtimeMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly long _started;
    private readonly double[] _phaseMs = new double[PhaseNames.Length];
    private long _phaseStarted;
    private bool _completed;

    public SessionSetupTimer(RealtimeMetrics metrics, TimeProvider clock)
    {
        (_metrics, _clock) = (metrics, clock);
        _started = _phaseStarted = clock.GetTimestamp();
    }

    /// <summary>The phases in order; each lasts from the end of the one before it.</summary>
    public enum Phase
    {
        /// <summary>The key check (and an ephemeral key's lookup).</summary>
        Authenticate,
        /// <summary>Budget, start-rate and concurrency admission.</summary>
        Admit,
        /// <summary>The WebSocket upgrade.</summary>
        Upgrade,
        /// <summary>The session's recording setting and local state.</summary>
        Prepare,
        /// <summary>Until the Router's <c>session.created</c> arrives: the Router stream, routing and the provider connection.</summary>
        Router,
        /// <summary>The resume token stored for the session.</summary>
        ResumeToken,
        /// <summary>Until the write to the client starts (an ephemeral key's configuration is applied first).</summary>
        Deliver,
    }

    /// <summary>The phase <paramref name="phase"/> ended now.</summary>
    public void Ended(Phase phase)
    {
        var now = _clock.GetTimestamp();
        _phaseMs[(int)phase] = _clock.GetElapsedTime(_phaseStarted, now).TotalMilliseconds;
        _phaseStarted = now;
    }

    /// <summary><c>session.created</c> is being written to the client: records every phase and the total, once.</summary>
    public void Completed()
    {
        if (_completed) return;
        _completed = true;
        Ended(Phase.Deliver);
        for (var i = 0; i < PhaseNames.Length; i++) _metrics.SetupPhase(PhaseNames[i], _phaseMs[i]);
        _metrics.SetupPhase("total", _clock.GetElapsedTime(_started).TotalMilliseconds);
    }
}
