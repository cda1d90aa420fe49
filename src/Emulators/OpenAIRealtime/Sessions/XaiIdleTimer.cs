using System.Net.WebSockets;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// xAI's idle timer (<c>Xai:IdleTimeout</c>, protocol additions §9), on the emulator's clock: armed when the session
/// opens, when the user stops speaking and when a response finishes; disarmed while the user speaks or a response runs.
/// When it fires it sends <c>input_audio_buffer.timeout_triggered</c> and starts a proactive response. Other variants
/// never arm it. Callers hold the session's gate; the timer's callback takes it.
/// </summary>
internal sealed class XaiIdleTimer(RealtimeSession session, InputAudio input, SessionBackgroundTasks background) : IDisposable
{
    private ITimer? _timer;
    private int _generation; // a timer that fires after being re-armed or disarmed finds a newer generation and does nothing

    public void Arm()
    {
        var timeout = session.Options.Xai.IdleTimeout;
        if (session.Variant != ProviderVariant.Xai || timeout <= TimeSpan.Zero || session.IsClosing)
        {
            return;
        }
        var generation = ++_generation;
        _timer?.Dispose();
        _timer = session.Time.CreateTimer(_ => background.Track(OnTimeoutAsync(generation)), null, timeout, Timeout.InfiniteTimeSpan);
    }

    public void Disarm()
    {
        _generation++;
        _timer?.Dispose();
        _timer = null;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary><c>input_audio_buffer.timeout_triggered</c>, then a proactive response over the conversation as it is.</summary>
    private async Task OnTimeoutAsync(int generation)
    {
        try
        {
            await session.Gate.WaitAsync(session.Aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        try
        {
            if (generation != _generation || session.IsClosing || session.Active is not null || input.InSpeech)
            {
                return;
            }
            _timer?.Dispose();
            _timer = null;
            session.Writer.Start("input_audio_buffer.timeout_triggered"u8);
            await session.SendAsync();
            await session.Responses.StartAsync(ResponseParameters.FromSession(session.Config, session.Conversation), null);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            session.Gate.Release();
        }
    }
}
