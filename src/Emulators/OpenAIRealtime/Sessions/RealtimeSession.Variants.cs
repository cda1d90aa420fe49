using System.Net.WebSockets;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// What the xAI dialect does differently at run time (protocol additions §9): the opening pair of events, the idle
/// timeout that starts a proactive turn (its running input transcripts are in <see cref="InputTranscriber"/>).
/// Azure differs only before the upgrade and in its cap, so it has nothing here.
/// </summary>
internal sealed partial class RealtimeSession
{
    private ITimer? _idleTimer;
    private int _idleGeneration; // a timer that fires after being re-armed or disarmed finds a newer generation and does nothing

    /// <summary>GA/Azure: session.created only. xAI: conversation.created and session.created, in the configured order.</summary>
    private async ValueTask EmitOpeningAsync()
    {
        if (Variant != ProviderVariant.Xai)
        {
            await EmitSessionAsync("session.created"u8);
            return;
        }
        ArmIdleTimer();
        if (Options.Xai.SessionCreatedFirst)
        {
            await EmitSessionAsync("session.created"u8);
            await EmitConversationCreatedAsync();
        }
        else
        {
            await EmitConversationCreatedAsync();
            await EmitSessionAsync("session.created"u8);
        }
    }

    private ValueTask EmitConversationCreatedAsync()
    {
        var w = Writer.Start("conversation.created"u8);
        w.WriteStartObject("conversation"u8);
        w.WriteString("id"u8, Conversation.Id);
        w.WriteString("object"u8, "realtime.conversation"u8);
        w.WriteEndObject();
        return SendAsync();
    }

    /// <summary>
    /// xAI's idle timer (<c>Xai:IdleTimeout</c>), on the emulator's clock: armed when the session opens, when the user
    /// stops speaking and when a response finishes; disarmed while the user speaks or a response runs. Callers hold the gate.
    /// </summary>
    public void ArmIdleTimer()
    {
        if (Variant != ProviderVariant.Xai || Options.Xai.IdleTimeout <= TimeSpan.Zero || IsClosing)
        {
            return;
        }
        var generation = ++_idleGeneration;
        _idleTimer?.Dispose();
        _idleTimer = Time.CreateTimer(_ => Track(OnIdleTimeoutAsync(generation)), null, Options.Xai.IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    public void DisarmIdleTimer()
    {
        _idleGeneration++;
        _idleTimer?.Dispose();
        _idleTimer = null;
    }

    /// <summary><c>input_audio_buffer.timeout_triggered</c>, then a proactive response over the conversation as it is.</summary>
    private async Task OnIdleTimeoutAsync(int generation)
    {
        try
        {
            await Gate.WaitAsync(_abort.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        try
        {
            if (generation != _idleGeneration || IsClosing || Active is not null || _input.InSpeech)
            {
                return;
            }
            _idleTimer?.Dispose();
            _idleTimer = null;
            Writer.Start("input_audio_buffer.timeout_triggered"u8);
            await SendAsync();
            await StartResponseAsync(ResponseParameters.FromSession(Config, Conversation), null);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Gate.Release();
        }
    }
}
