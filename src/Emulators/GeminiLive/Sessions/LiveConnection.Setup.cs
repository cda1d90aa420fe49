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
    private long? _lastConsumedIndex;
    private bool _awaitingInitialHistory;
    private bool _explicitVadSignal; // Vertex: report VAD start/end as voiceActivityDetectionSignal
    private ThinkingSettings? _thinking; // thoughtsTokenCount per reply

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

        if (_binding.Bind(setup, _auth) is { } refusedSession)
        {
            await _out.CloseAsync(refusedSession);
            return;
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

    /// <summary>Session caps (<see cref="SessionBinding.SessionCapCloseAt"/>) close the connection, after a goAway.</summary>
    private void ScheduleSessionCap()
    {
        if (_setup is not null && _binding.SessionCapCloseAt(_setup, _profile, Now, _connectedAt) is { } closeAt)
        {
            _deadlines.ScheduleClose(closeAt, sessionCap: true, Now);
        }
    }

    private void DetachSession() => _binding.Detach(Now - _connectedAt);

    /// <summary>A resumable update: a fresh handle bound to a frozen snapshot of the context.</summary>
    private async ValueTask SendResumableUpdateAsync()
    {
        if (_setup is not { ResumptionEnabled: true } || _binding.Session is null || _out.Closed)
        {
            return;
        }

        var handle = _binding.IssueHandle();
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
