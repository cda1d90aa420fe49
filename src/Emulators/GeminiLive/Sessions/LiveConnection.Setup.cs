using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The setup handshake: auth, validation, resumption, then setupComplete before anything else. A setup that passes
/// creates the parts that serve the session on this connection.
/// </summary>
internal sealed partial class LiveConnection
{
    private ValidatedSetup? _setup;
    private ModelTurnRunner? _runner;
    private ReplyScheduler? _replies;
    private ClientInputDispatcher? _dispatcher;

    private async Task HandleSetupAsync(SetupMessage message)
    {
        if (SetupValidator.Validate(message, _route, _auth, _options, out var refused) is not { } validated)
        {
            await _out.CloseAsync(refused!);
            return;
        }

        var setup = validated.Setup;
        if (_binding.Bind(setup, _auth) is { } refusedSession)
        {
            await _out.CloseAsync(refusedSession);
            return;
        }

        _setup = validated;
        _input.Start(setup);
        _resumption.Start(setup);
        var calls = new FunctionCalls(_options, OnVertex);
        var thought = new BackgroundThought();
        var heldInterruptReplies = new HeldInterruptReplies();
        _runner = new ModelTurnRunner(
            validated, _out, new ModelTurnStreamer(_out, _options), _options, _binding, calls, _resumption, thought, heldInterruptReplies, _time, _faulted, OnVertex);
        _replies = new ReplyScheduler(validated, _out, _options, _binding, calls, _input, _runner, thought, heldInterruptReplies);
        _dispatcher = new ClientInputDispatcher(validated, _out, _options, _binding, _input, _runner, _replies, _resumption, OnVertex, ScheduleSessionCap);

        ServerMessages.SetupComplete(_out.Begin());
        await _out.SendAsync();

        ScheduleSessionCap();
        if (setup.ResumptionEnabled && _options.Resumption.UpdateAfterSetup)
        {
            await _resumption.SendResumableAsync();
        }
    }

    /// <summary>Session caps (<see cref="SessionBinding.SessionCapCloseAt"/>) close the connection, after a goAway.</summary>
    private void ScheduleSessionCap()
    {
        if (_setup is { } validated && _binding.SessionCapCloseAt(validated.Setup, validated.Profile, Now, _connectedAt) is { } closeAt)
        {
            _deadlines.ScheduleClose(closeAt, sessionCap: true, Now);
        }
    }

    private void DetachSession() => _binding.Detach(Now - _connectedAt);
}
