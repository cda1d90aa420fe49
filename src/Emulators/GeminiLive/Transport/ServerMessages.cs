using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>
/// Writes BidiGenerateContentServerMessage JSON. proto3 JSON conventions: camelCase, default values
/// omitted, int64 as strings, durations as "50s".
/// </summary>
internal static class ServerMessages
{
    public static void SetupComplete(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("setupComplete");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void ServerContent(Utf8JsonWriter w, in ServerContentFrame frame, bool modelRole = false)
    {
        w.WriteStartObject();
        w.WriteStartObject("serverContent");
        if (frame.AudioPcm is { } pcm || frame.ModelText is not null)
        {
            w.WriteStartObject("modelTurn");
            if (modelRole)
            {
                w.WriteString("role", "model");
            }

            w.WriteStartArray("parts");
            w.WriteStartObject();
            if (frame.AudioPcm is { } audio)
            {
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", AudioMime.Output24k);
                w.WriteBase64String("data", audio.Span);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("text", frame.ModelText);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (frame.GenerationComplete)
        {
            w.WriteBoolean("generationComplete", true);
        }

        if (frame.TurnComplete)
        {
            w.WriteBoolean("turnComplete", true);
        }

        if (frame.InteractionStatus is not null)
        {
            w.WriteString("interactionStatus", frame.InteractionStatus);
        }

        if (frame.Interrupted)
        {
            w.WriteBoolean("interrupted", true);
        }

        if (frame.InputTranscription is not null)
        {
            w.WriteStartObject("inputTranscription");
            w.WriteString("text", frame.InputTranscription);
            w.WriteEndObject();
        }

        if (frame.OutputTranscription is not null)
        {
            w.WriteStartObject("outputTranscription");
            w.WriteString("text", frame.OutputTranscription);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        if (frame.Usage is { } usage)
        {
            Usage(w, usage, frame.UsageNames ?? UsageFieldNames.DeveloperApi);
        }

        w.WriteEndObject();
    }

    public static void ToolCall(Utf8JsonWriter w, IReadOnlyList<PendingFunctionCall> calls)
    {
        w.WriteStartObject();
        w.WriteStartObject("toolCall");
        w.WriteStartArray("functionCalls");
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("id", call.Id);
            w.WriteString("name", call.Name);
            w.WritePropertyName("args");
            call.Args.WriteTo(w);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void ToolCallCancellation(Utf8JsonWriter w, IEnumerable<string> ids)
    {
        w.WriteStartObject();
        w.WriteStartObject("toolCallCancellation");
        w.WriteStartArray("ids");
        foreach (var id in ids)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void GoAway(Utf8JsonWriter w, TimeSpan timeLeft)
    {
        w.WriteStartObject();
        w.WriteStartObject("goAway");
        w.WriteString("timeLeft", ProtoDuration.Format(timeLeft));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A resumable update carries the handle; a not-resumable one is empty in proto3 JSON unless explicit.</summary>
    public static void SessionResumptionUpdate(Utf8JsonWriter w, string? handle, long? lastConsumedIndex, bool explicitDefaults)
    {
        w.WriteStartObject();
        w.WriteStartObject("sessionResumptionUpdate");
        if (handle is not null)
        {
            w.WriteString("newHandle", handle);
            w.WriteBoolean("resumable", true);
        }
        else if (explicitDefaults)
        {
            w.WriteString("newHandle", string.Empty);
            w.WriteBoolean("resumable", false);
        }

        if (lastConsumedIndex is { } index)
        {
            w.WriteString("lastConsumedClientMessageIndex", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Usage(Utf8JsonWriter w, UsageNumbers usage, UsageFieldNames names)
    {
        w.WriteStartObject("usageMetadata");
        WriteCount(w, "promptTokenCount", usage.Prompt.Total);
        WriteCount(w, names.Count, usage.Response.Total);
        WriteCount(w, "toolUsePromptTokenCount", usage.ToolUsePrompt);
        WriteCount(w, "totalTokenCount", usage.Total);
        WriteCount(w, "thoughtsTokenCount", usage.Thoughts);
        Details(w, "promptTokensDetails", usage.Prompt);
        Details(w, names.Details, usage.Response);
        if (usage.ToolUsePrompt > 0)
        {
            Details(w, "toolUsePromptTokensDetails", new ModalityTokens(usage.ToolUsePrompt, 0, 0));
        }

        w.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter w, string name, int value)
    {
        if (value != 0)
        {
            w.WriteNumber(name, value);
        }
    }

    private static void Details(Utf8JsonWriter w, string name, ModalityTokens tokens)
    {
        if (tokens.Total == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        Detail(w, "TEXT", tokens.Text);
        Detail(w, "AUDIO", tokens.Audio);
        Detail(w, "VIDEO", tokens.Video);
        w.WriteEndArray();
    }

    private static void Detail(Utf8JsonWriter w, string modality, int count)
    {
        if (count == 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("modality", modality);
        w.WriteNumber("tokenCount", count);
        w.WriteEndObject();
    }
}
