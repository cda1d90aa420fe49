using VoicePlatform.Audio;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Recordings;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// One session's side of client resume (documented extension): the token in <c>session.created</c>, the audio formats
/// and recording choice the client set (a resuming client gets them back), and the time it detached; kept in Redis by
/// <see cref="SessionResumeTokens"/>. Resume is a convenience: without Redis the session still runs, it just cannot be
/// resumed, so a Redis failure is logged and not thrown.
/// </summary>
public sealed class ClientResumeRecord(SessionResumeTokens tokens, RealtimeOptions options, SessionStart start, ClientAudioFormats formats,
    SessionRecordingSwitch recording, TimeProvider clock, ILogger logger)
{
    private (AudioFormat Input, AudioFormat Output, bool? Recording) _saved = (AudioFormat.Pcm16At24kHz, AudioFormat.Pcm16At24kHz, null);

    /// <summary>The client holds a token: the session's state is kept for it when this Gateway lets the session go.</summary>
    public bool Resumable { get; private set; }

    /// <summary>A client came back with its token: its formats are restored and its record kept for the session's lifetime.</summary>
    public async Task ClientReturnedAsync(ResumableSession resumed)
    {
        if (resumed.InputFormat is { } input) formats.SetInput(input);
        if (resumed.OutputFormat is { } output) formats.SetOutput(output);
        Resumable = true;
        await TryRedisAsync(() => tokens.AttachAsync(start.SessionId, options.MaxSessionDuration));
    }

    /// <summary><paramref name="sessionCreated"/> with a new resume token (unchanged if Redis cannot keep one).</summary>
    public async Task<ReadOnlyMemory<byte>> IssueTokenAsync(ReadOnlyMemory<byte> sessionCreated, VoicePlatform.Contracts.Events.Quality.QualityDimensions dimensions)
    {
        string? token = null;
        await TryRedisAsync(async () => token = await tokens.IssueAsync(start.SessionId, start.TenantId, start.Model, options.MaxSessionDuration, dimensions));
        if (token is null) return sessionCreated;
        Resumable = true;
        return GatewayEvents.WithResumeToken(sessionCreated, start.SessionId, token, options.ResumeWindow);
    }

    /// <summary>
    /// Saves the client's formats and recording choice if they changed: a resuming client must get them back even if it
    /// drops right after changing them.
    /// </summary>
    public async Task SaveClientChoicesAsync()
    {
        var choices = (formats.Input, formats.Output, recording.Overridden);
        if (!Resumable || choices == _saved) return;
        _saved = choices;
        await TryRedisAsync(() => tokens.SaveClientChoicesAsync(start.SessionId, formats, recording.Overridden));
    }

    /// <summary>This Gateway's part of the session is over: the record waits for the client for the resume window.</summary>
    public async Task DetachAsync()
    {
        if (Resumable) await TryRedisAsync(() => tokens.DetachAsync(start.SessionId, formats, recording.Overridden, options.ResumeWindow, clock.GetUtcNow()));
    }

    private async Task TryRedisAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogWarning("Session {SessionId}: resume record unavailable ({Error})", start.SessionId, e.Message);
        }
    }
}
