using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Xai;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// session.update, and the events that carry the session: session.created at opening (after or before xAI's
/// conversation.created) and session.updated. Runs on the session's loop under its gate.
/// </summary>
internal sealed class SessionConfigRequests(RealtimeSession session, InputAudio input)
{
    private bool _assistantAudioPresent; // the voice cannot change once the assistant has spoken

    public void MarkAssistantAudio() => _assistantAudioPresent = true;

    public async ValueTask<RealtimeError?> UpdateAsync(JsonElement root)
    {
        if (JsonRead.OnlyKnown(root, "", "type", "event_id", "session") is { } unknown)
        {
            return unknown;
        }
        if (!root.TryGetProperty("session", out var sessionEl))
        {
            return RealtimeError.Missing("session");
        }
        var previous = session.Config;
        var updated = previous.Clone();
        var context = new SessionConfigParser.UpdateContext(_assistantAudioPresent);
        var error = session.Variant == ProviderVariant.Xai
            ? XaiSessionParser.Apply(sessionEl, updated, context, session.Options.Xai.AcceptsNestedAudioFields)
            : SessionConfigParser.Apply(sessionEl, updated, context);
        if (error is not null)
        {
            return error;
        }

        session.ReplaceConfig(updated);
        if (previous.InputFormat != updated.InputFormat)
        {
            // Buffered bytes are in the old format; they cannot be committed as the new one.
            input.Reset();
        }
        else if (previous.TurnDetection != updated.TurnDetection)
        {
            input.ResetVad();
        }
        await EmitSessionAsync("session.updated"u8);
        return null;
    }

    /// <summary>GA/Azure: session.created only. xAI: conversation.created and session.created, in the configured order.</summary>
    public async ValueTask EmitOpeningAsync()
    {
        if (session.Variant != ProviderVariant.Xai)
        {
            await EmitSessionAsync("session.created"u8);
            return;
        }
        session.IdleTimer.Arm();
        if (session.Options.Xai.SessionCreatedFirst)
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
        var w = session.Writer.Start("conversation.created"u8);
        w.WriteStartObject("conversation"u8);
        w.WriteString("id"u8, session.Conversation.Id);
        w.WriteString("object"u8, "realtime.conversation"u8);
        w.WriteEndObject();
        return session.SendAsync();
    }

    private ValueTask EmitSessionAsync(ReadOnlySpan<byte> type)
    {
        var w = session.Writer.Start(type);
        w.WritePropertyName("session"u8);
        var config = session.Config;
        if (session.Variant == ProviderVariant.Xai) XaiSessionWriter.Write(w, config); else config.WriteTo(w);
        return session.SendAsync();
    }
}
