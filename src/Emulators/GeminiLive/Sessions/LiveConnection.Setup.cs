using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Recording;
using VoicePlatform.Emulators.GeminiLive.Transport;
using VoicePlatform.Emulators.GeminiLive.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>The setup handshake: auth, validation, resumption, then setupComplete before anything else.</summary>
internal sealed partial class LiveConnection
{
    private SessionSetup? _setup;
    private SessionRecord? _session;
    private Conversation _conversation = new(0);
    private UsageNumbers _cumulativeUsage;
    private long _nextCallNumber = 1;
    private long? _lastConsumedIndex;
    private bool _awaitingInitialHistory;
    private bool _detached;
    private bool _explicitVadSignal;
    private ThinkingSettings? _thinking; // thoughtsTokenCount per reply // Vertex: report VAD start/end as voiceActivityDetectionSignal

    /// <summary>The session's input audio record once this connection serves the session (null when off).</summary>
    private InputAudioRecord? _inputAudio;

    private async Task HandleSetupAsync(SetupMessage message)
    {
        if (SetupValidator.Validate(message, _route, _auth, _options, out var refused) is not { } validated)
        {
            await _out.CloseAsync(refused!);
            return;
        }

        var (setup, profile, thinking, explicitVadSignal) = validated;
        _thinking = thinking;
        _explicitVadSignal = explicitVadSignal;

        if (setup.ResumptionHandle is { } handle)
        {
            var result = _registry.TryResume(handle, _connectionId);
            var resumption = _options.Resumption;
            switch (result.Outcome)
            {
                case ResumeOutcome.StillConnected:
                    await _out.CloseAsync(new CloseDirective(resumption.ResumeWhileOpenCloseCode, resumption.ResumeWhileOpenCloseReason));
                    return;
                case ResumeOutcome.UnknownHandle or ResumeOutcome.Expired or ResumeOutcome.SessionEnded:
                    await _out.CloseAsync(new CloseDirective(resumption.InvalidHandleCloseCode, resumption.InvalidHandleCloseReason));
                    return;
            }

            _session = result.Session!;
            if (_session.ModelId != setup.ModelId)
            {
                // The config may change on resume, except the model.
                await _out.CloseAsync(CloseDirective.Invalid());
                return;
            }

            var snapshot = result.Snapshot!;
            _conversation = new Conversation(setup.SystemTokens, snapshot.Turns);
            _cumulativeUsage = snapshot.CumulativeUsage;
            _nextCallNumber = snapshot.NextCallNumber;

            // The record reverts with the state: audio consumed after the handle's index must be replayed.
            _inputAudio = _session.InputAudio;
            _inputAudio?.Attach();
            if (snapshot.InputAudio is { } mark)
            {
                _inputAudio?.RevertTo(mark);
            }
        }
        else
        {
            // A resumed session does not use up an ephemeral token; a new one does.
            if (_auth.Token is { } token && !_tokens.TryStartNewSession(token))
            {
                await _out.CloseAsync(CloseDirective.Policy(CloseDirective.ApiKeyInvalid));
                return;
            }

            _session = _registry.Create(setup.ModelId, _connectionId);
            _conversation = new Conversation(setup.SystemTokens);
            _inputAudio = _session.InputAudio;
            _inputAudio?.Attach();
        }

        _setup = setup;
        _profile = profile;
        _input.Start(setup);
        _awaitingInitialHistory = setup.InitialHistoryInClientContent;

        ServerMessages.SetupComplete(_out.Begin());
        await _out.SendAsync();

        ScheduleSessionCap();
        if (setup.ResumptionEnabled && _options.Resumption.UpdateAfterSetup)
        {
            await SendResumableUpdateAsync();
        }
    }

    /// <summary>Session caps: 15 min audio-only / 2 min with video without compression; configurable with it.</summary>
    private void ScheduleSessionCap()
    {
        if (_setup is null || _session is null)
        {
            return;
        }

        TimeSpan cap;
        bool hasVideo;
        TimeSpan connectedBefore;
        lock (_session.Gate)
        {
            hasVideo = _session.HasVideo;
            connectedBefore = _session.ConnectedBefore;
        }

        cap = _setup.CompressionEnabled
            ? _options.SessionCapWithCompression
            : hasVideo ? _options.SessionCapWithVideo : _options.SessionCapWithoutCompression;
        cap = _profile.LimitSessionCap(cap, _options.Live38.SessionLimit);
        if (cap <= TimeSpan.Zero)
        {
            return;
        }

        var now = Now;
        var used = _options.SessionCapClock == SessionCapClock.WallClock
            ? now - _session.CreatedAt
            : connectedBefore + (now - _connectedAt);
        ScheduleClose(now + (cap - used), sessionCap: true);
    }

    private void DetachSession()
    {
        if (_detached || _session is null)
        {
            return;
        }

        _detached = true;
        _registry.Detach(_session, _connectionId, Now - _connectedAt);
        _inputAudio?.Detach();
    }

    /// <summary>A resumable update: a fresh handle bound to a frozen snapshot of the context.</summary>
    private async ValueTask SendResumableUpdateAsync()
    {
        if (_setup is not { ResumptionEnabled: true } || _session is null || _out.Closed)
        {
            return;
        }

        var snapshot = new SessionSnapshot(_conversation.Snapshot(), _cumulativeUsage, _nextCallNumber, _inputAudio?.Mark);
        var handle = _registry.Issue(_session, snapshot);
        ServerMessages.SessionResumptionUpdate(_out.Begin(), handle, _setup.Transparent && _lastConsumedIndex >= 0 ? _lastConsumedIndex : null, explicitDefaults: false);
        await _out.SendAsync();
        if (_options.Resumption.IdleUpdateInterval > TimeSpan.Zero)
        {
            _idleUpdateAt = Now + _options.Resumption.IdleUpdateInterval;
        }
    }

    /// <summary>While the model generates or a tool call is pending, updates are not resumable.</summary>
    private async ValueTask SendNotResumableUpdateAsync()
    {
        if (_setup is not { ResumptionEnabled: true })
        {
            return;
        }

        ServerMessages.SessionResumptionUpdate(
            _out.Begin(),
            handle: null,
            lastConsumedIndex: null,
            explicitDefaults: _options.Resumption.NotResumableShape == NotResumableShape.Explicit);
        await _out.SendAsync();
    }
}
