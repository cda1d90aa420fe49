using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// response.create / response.cancel and the responses the server starts itself (server VAD, loopback, xAI idle):
/// one active response at a time, run inline or paced in the background, and rate_limits.updated after each.
/// Runs on the session's loop under its gate.
/// </summary>
internal sealed class ResponseScheduler(
    RealtimeSession session, InputTranscriber transcriber, InputAudio input, SessionBackgroundTasks background)
{
    private int _previousInputTokens;
    private DateTimeOffset _rateWindowStart = session.Time.GetUtcNow();
    private int _rateWindowTokens;

    private SessionConfig Config => session.Config;
    private ConversationState Conversation => session.Conversation;
    private OpenAIEmulatorOptions Options => session.Options;

    /// <summary>The response in progress (or just finished, until response.done), null when none.</summary>
    public ActiveResponse? Active { get; private set; }

    public async ValueTask<RealtimeError?> CreateAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id", "response") is { } unknown)
        {
            return unknown;
        }
        if (Active is { Finished: false } active)
        {
            return new RealtimeError(RealtimeError.InvalidRequest, "conversation_already_has_active_response",
                $"Conversation already has an active response in progress: {active.Id}. Wait until the response is finished before creating a new one.", null);
        }
        var parameters = ResponseParameters.FromSession(Config, Conversation);
        if (root.TryGetProperty("response", out var responseEl) && responseEl.ValueKind != JsonValueKind.Null)
        {
            if (ResponseParameters.Parse(responseEl, Config, Conversation, session.Ids, out var parsed) is { } error)
            {
                return error;
            }
            parameters = parsed!;
        }
        await StartAsync(parameters, null);
        return null;
    }

    public async ValueTask<RealtimeError?> CancelAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id", "response_id") is { } unknown)
        {
            return unknown;
        }
        string? responseId = null;
        if (root.TryGetProperty("response_id", out var idEl) && JsonRead.String(idEl, "response_id", out responseId) is { } ie)
        {
            return ie;
        }
        if (Active is not { Finished: false } active || (responseId is not null && responseId != active.Id))
        {
            // Benign per pipecat/livekit; the session continues.
            return new RealtimeError(RealtimeError.InvalidRequest, "response_cancel_not_active",
                "Cancellation failed: no active response found", null);
        }
        await active.CancelAsync("client_cancelled");
        return null;
    }

    /// <summary>Emits response.created (then the pending input transcription) and runs or schedules the body.</summary>
    public async ValueTask StartAsync(ResponseParameters parameters, ConversationItem? transcribeAfterCreated)
    {
        var plan = DeterministicModel.Plan(parameters.Context, Conversation, parameters.Tools, parameters.ToolChoice,
            Options.DemoToolCalls);
        var inline = Options.ResponseRealtimeFactor <= 0 && Options.ReplyDelayFor(Config.Model) <= TimeSpan.Zero;
        var response = new ActiveResponse(session, parameters, plan, inline, CachedTokens());
        Active = response;
        session.IdleTimer.Disarm();
        await response.EmitCreatedAsync();
        if (transcribeAfterCreated is not null)
        {
            await transcriber.TranscribeAsync(transcribeAfterCreated);
        }
        if (inline)
        {
            await response.RunAsync();
        }
        else
        {
            background.Track(Task.Run(response.RunAsync));
        }
    }

    private int CachedTokens() => _previousInputTokens / 64 * 64;

    /// <summary>Loopback: the echo is an inline response that stays open while audio is appended.</summary>
    public async ValueTask StartLoopbackAsync()
    {
        var parameters = ResponseParameters.FromSession(Config, Conversation);
        var echo = new ActiveResponse(session, parameters, new SpeakPlan(""), inline: true, CachedTokens()) { IsLoopback = true };
        Active = echo;
        await echo.EmitCreatedAsync();
        await echo.OpenLoopbackAsync();
    }

    /// <summary>Called by the response after response.done, still under the gate.</summary>
    public async ValueTask OnFinishedAsync(ActiveResponse response)
    {
        if (ReferenceEquals(Active, response))
        {
            Active = null;
        }
        var usage = response.Usage;
        if (!response.Parameters.OutOfBand)
        {
            _previousInputTokens = usage.InputTokens;
        }
        session.IdleTimer.Arm();
        await EmitRateLimitsAsync(usage.TotalTokens);
        input.ArmVadIdleTimer();
    }

    /// <summary>One rate_limits.updated per response; a fixed one-minute token window.</summary>
    private async ValueTask EmitRateLimitsAsync(int tokens)
    {
        var now = session.Time.GetUtcNow();
        if (now - _rateWindowStart >= TimeSpan.FromMinutes(1))
        {
            _rateWindowStart = now;
            _rateWindowTokens = 0;
        }
        _rateWindowTokens += tokens;
        var limit = Options.RateLimitTokensPerMinute;
        var w = session.Writer.Start("rate_limits.updated"u8);
        w.WriteStartArray("rate_limits"u8);
        w.WriteStartObject();
        w.WriteString("name"u8, "tokens"u8);
        w.WriteNumber("limit"u8, limit);
        w.WriteNumber("remaining"u8, Math.Max(0, limit - _rateWindowTokens));
        w.WriteNumber("reset_seconds"u8, Math.Round(Math.Max(0, 60 - (now - _rateWindowStart).TotalSeconds), 3));
        w.WriteEndObject();
        w.WriteEndArray();
        await session.SendAsync();
    }
}
