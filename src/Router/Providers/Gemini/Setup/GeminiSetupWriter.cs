using VoicePlatform.Contracts.Json;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The <c>setup</c> message for an effective OpenAI session. Field placement per gemini-live.md §2.1: speechConfig
/// inside generationConfig; realtimeInputConfig, transcription configs and sessionResumption at the top level.
/// Resumption and context compression are always on (rollover and continuity need the handles).
/// </summary>
internal static class GeminiSetupWriter
{
    /// <param name="initialHistory">
    /// A fresh setup whose context is rebuilt next: on models that take clientContent only as initial history (3.1) the
    /// setup says so (<c>historyConfig.initialHistoryInClientContent</c>), and the history must then end with turnComplete:true.
    /// </param>
    public static byte[] Write(RealtimeSessionConfig session, string upstreamModel, string? resumptionHandle, GeminiProviderOptions options,
        bool initialHistory = false)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("setup"u8);
            WriteSetupFields(w, session, upstreamModel, options);
            if (initialHistory && resumptionHandle is null && GeminiModelProfile.For(upstreamModel).ClientContentOnlyAsHistory)
            {
                w.WriteStartObject("historyConfig"u8);
                w.WriteBoolean("initialHistoryInClientContent"u8, true);
                w.WriteEndObject();
            }

            w.WriteStartObject("sessionResumption"u8);
            if (resumptionHandle is not null)
            {
                w.WriteString("handle"u8, resumptionHandle);
            }

            if (options.TransparentResumption)
            {
                w.WriteBoolean("transparent"u8, true);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The part of the setup that depends on the session (everything but resumption). Two sessions with the same
    /// fingerprint need no reconnect.
    /// </summary>
    public static string Fingerprint(RealtimeSessionConfig session, string upstreamModel, GeminiProviderOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            WriteSetupFields(w, session, upstreamModel, options);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteSetupFields(Utf8JsonWriter w, RealtimeSessionConfig session, string upstreamModel, GeminiProviderOptions options)
    {
        w.WriteString("model"u8, upstreamModel.Contains('/') ? upstreamModel : "models/" + upstreamModel); // a resource name (GeminiEndpoint.ModelPath) passes as it is
        var profile = GeminiModelProfile.For(upstreamModel);

        w.WriteStartObject("generationConfig"u8);
        w.WriteStartArray("responseModalities"u8);
        // 3.8 closes the setup on TEXT; the session.update parser already refuses text output for it.
        w.WriteStringValue(session.OutputModalities is ["text"] && !profile.AudioOnly ? "TEXT"u8 : "AUDIO"u8);
        w.WriteEndArray();
        if (session.MaxOutputTokens is { } max)
        {
            w.WriteNumber("maxOutputTokens"u8, max);
        }

        WriteThinkingConfig(w, session, profile);
        if (session.AffectiveDialog == true && !profile.IsLive38)
        {
            w.WriteBoolean("enableAffectiveDialog"u8, true);
        }

        w.WriteStartObject("speechConfig"u8);
        w.WriteStartObject("voiceConfig"u8);
        w.WriteStartObject("prebuiltVoiceConfig"u8);
        w.WriteString("voiceName"u8, GeminiVoices.Map(session.Voice, options.DefaultVoice));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();

        if (session.Instructions.Length > 0)
        {
            w.WriteStartObject("systemInstruction"u8);
            w.WriteStartArray("parts"u8);
            w.WriteStartObject();
            w.WriteString("text"u8, session.Instructions);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        WriteTools(w, session);

        // 3.8 has proactive audio always on (false is an error): nothing to send there.
        if (session.ProactiveAudio == true && !profile.IsLive38)
        {
            w.WriteStartObject("proactivity"u8);
            w.WriteBoolean("proactiveAudio"u8, true);
            w.WriteEndObject();
        }

        w.WriteStartObject("realtimeInputConfig"u8);
        w.WriteStartObject("automaticActivityDetection"u8);
        if (session.TurnDetection is { } turn)
        {
            w.WriteBoolean("disabled"u8, false);
            if (turn.StartSensitivity is { } start)
            {
                w.WriteString("startOfSpeechSensitivity"u8, start);
            }

            if (turn.EndSensitivity is { } end)
            {
                w.WriteString("endOfSpeechSensitivity"u8, end);
            }

            w.WriteNumber("prefixPaddingMs"u8, options.Vad.StartConfirmationMs);
            w.WriteNumber("silenceDurationMs"u8, turn.EffectiveSilenceMs);
        }
        else
        {
            // Manual turns: the connector brackets committed audio with activityStart / activityEnd.
            w.WriteBoolean("disabled"u8, true);
        }

        w.WriteEndObject();
        w.WriteString("activityHandling"u8, session.TurnDetection is { InterruptResponse: false } ? "NO_INTERRUPTION"u8 : "START_OF_ACTIVITY_INTERRUPTS"u8);
        w.WriteEndObject();

        w.WriteStartObject("contextWindowCompression"u8);
        if (options.CompressionTriggerTokens > 0)
        {
            w.WriteString("triggerTokens"u8, options.CompressionTriggerTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        w.WriteStartObject("slidingWindow"u8);
        w.WriteEndObject();
        w.WriteEndObject();

        // Always on, whether or not the client asked for transcription events: a context rebuilt from history (a
        // refused resumption handle) needs the user's words, and the session only shows them when asked.
        w.WriteStartObject("inputAudioTranscription"u8);
        w.WriteEndObject();

        // Always on: output_audio_transcript events come from it.
        w.WriteStartObject("outputAudioTranscription"u8);
        w.WriteEndObject();
    }

    /// <summary>
    /// The setup carries 2.5's affective dialog or proactivity, which the Developer API serves on <c>v1alpha</c> only
    /// (gemini-live-3.8-and-vertex.md §4, §6.1).
    /// </summary>
    public static bool UsesAlphaFields(RealtimeSessionConfig session, string upstreamModel, GeminiProviderOptions options) =>
        (session.AffectiveDialog == true || session.ProactiveAudio == true) && !GeminiModelProfile.For(upstreamModel).IsLive38;

    /// <summary>
    /// Extended thinking requires exactly one of thinkingLevel / thinkingBudget (a level from the effort, MEDIUM without
    /// one); plain 3.8 refuses thinkingConfig; other models get one only when the client set <c>reasoning</c> (the
    /// session.update parser allows it only where the catalog says the model reasons): 2.5 takes a thinking budget.
    /// </summary>
    private static void WriteThinkingConfig(Utf8JsonWriter w, RealtimeSessionConfig session, GeminiModelProfile profile)
    {
        if (profile.ExtendedThinking)
        {
            w.WriteStartObject("thinkingConfig"u8);
            w.WriteString("thinkingLevel"u8, GeminiModelProfile.ThinkingLevel(session.ReasoningEffort));
            w.WriteEndObject();
        }
        else if (session.Reasoning is not null && profile.AcceptsThinkingConfig)
        {
            w.WriteStartObject("thinkingConfig"u8);
            w.WriteNumber("thinkingBudget"u8, GeminiModelProfile.ThinkingBudget(session.ReasoningEffort));
            w.WriteEndObject();
        }
    }

    private static void WriteTools(Utf8JsonWriter w, RealtimeSessionConfig session)
    {
        // tool_choice "none" hides the tools; "required" / a named function cannot be expressed in a Live setup.
        if (session.Tools.Count == 0 || session.ToolChoice is JsonValue choice && choice.TryGetValue<string>(out var mode) && mode == "none")
        {
            return;
        }

        w.WriteStartArray("tools"u8);
        w.WriteStartObject();
        w.WriteStartArray("functionDeclarations"u8);
        foreach (var node in session.Tools)
        {
            if (node is not JsonObject tool || (string?)tool["type"] != "function")
            {
                continue;
            }

            // No "behavior": 3.8 then runs the function NON_BLOCKING (extended thinking refuses BLOCKING), older models BLOCKING.
            w.WriteStartObject();
            w.WriteString("name"u8, (string?)tool["name"] ?? string.Empty);
            if (tool["description"] is JsonValue description && description.TryGetValue<string>(out var text) && text.Length > 0)
            {
                w.WriteString("description"u8, text);
            }

            if (tool["parameters"] is JsonObject parameters)
            {
                using var document = JsonDocument.Parse(parameters.ToJsonString());
                if (!GeminiSchemaConverter.IsEmptyObject(document.RootElement))
                {
                    w.WritePropertyName("parameters"u8);
                    GeminiSchemaConverter.Write(w, document.RootElement);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
