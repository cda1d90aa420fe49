using System.Runtime.InteropServices;
using System.Text.Json;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// <c>serverContent</c>: the user's transcription, the model's output (audio parts, transcription), and the turn's
/// milestones, which the session handles in this order.
/// </summary>
public readonly struct GeminiServerContent
{
    /// <summary><c>inputTranscription.text</c> (null if absent) and whether it is <c>finished</c>.</summary>
    public string? InputTranscription { get; private init; }

    public bool InputTranscriptionFinished { get; private init; }

    /// <summary><c>modelTurn.parts</c> (an array); <see cref="TryGetAudio"/> picks the audio out of them.</summary>
    public JsonElement ModelParts { get; private init; }

    /// <summary><c>outputTranscription.text</c> (null if absent).</summary>
    public string? OutputTranscription { get; private init; }

    public bool GenerationComplete { get; private init; }

    public bool Interrupted { get; private init; }

    public bool TurnComplete { get; private init; }

    /// <summary>
    /// <c>interactionStatus</c> (3.8, with turnComplete) is <c>IN_PROGRESS</c>: the model has more to say (an extended-thinking
    /// answer, a tool result to speak, an asynchronous call outstanding), so this turnComplete does not mean "done".
    /// </summary>
    public bool MoreToCome { get; private init; }

    public static GeminiServerContent Read(JsonElement content)
    {
        string? input = null, output = null;
        var inputFinished = false;
        JsonElement parts = default;
        bool generationComplete = false, interrupted = false, turnComplete = false, moreToCome = false;
        foreach (var property in content.EnumerateObject())
        {
            var value = property.Value;
            if (property.NameEquals("modelTurn"u8))
            {
                parts = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("parts"u8, out var p) && p.ValueKind == JsonValueKind.Array ? p : default;
            }
            else if (property.NameEquals("inputTranscription"u8))
            {
                input = Text(value);
                inputFinished = input is not null && value.TryGetProperty("finished"u8, out var f) && f.ValueKind == JsonValueKind.True;
            }
            else if (property.NameEquals("outputTranscription"u8))
            {
                output = Text(value);
            }
            else if (property.NameEquals("generationComplete"u8))
            {
                generationComplete = value.ValueKind == JsonValueKind.True;
            }
            else if (property.NameEquals("interrupted"u8))
            {
                interrupted = value.ValueKind == JsonValueKind.True;
            }
            else if (property.NameEquals("turnComplete"u8))
            {
                turnComplete = value.ValueKind == JsonValueKind.True;
            }
            else if (property.NameEquals("interactionStatus"u8))
            {
                moreToCome = value.ValueKind == JsonValueKind.String && value.ValueEquals("IN_PROGRESS"u8);
            }
        }

        return new GeminiServerContent
        {
            InputTranscription = input,
            InputTranscriptionFinished = inputFinished,
            ModelParts = parts,
            OutputTranscription = output,
            GenerationComplete = generationComplete,
            Interrupted = interrupted,
            TurnComplete = turnComplete,
            MoreToCome = moreToCome,
        };
    }

    /// <summary>
    /// The audio of a model turn's part: its <c>inlineData.data</c> when its <c>mimeType</c> is <c>audio/pcm…</c> (or
    /// absent). Called for each element of <see cref="ModelParts"/>, in order.
    /// </summary>
    public static bool TryGetAudio(JsonElement part, out JsonElement data)
    {
        data = default;
        return part.ValueKind == JsonValueKind.Object && part.TryGetProperty("inlineData"u8, out var inline) && inline.ValueKind == JsonValueKind.Object
            && inline.TryGetProperty("data"u8, out data) && IsPcm(inline);
    }

    private static bool IsPcm(JsonElement inline)
    {
        if (!inline.TryGetProperty("mimeType"u8, out var mime))
        {
            return true;
        }

        if (mime.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // Compared as raw UTF-8 (no string per audio part) unless the value has escapes.
        var raw = JsonMarshal.GetRawUtf8Value(mime);
        return raw.IndexOf((byte)'\\') < 0
            ? raw.Length > 1 && raw[1..].StartsWith("audio/pcm"u8)
            : mime.GetString()!.StartsWith("audio/pcm", StringComparison.Ordinal);
    }

    private static string? Text(JsonElement transcription) =>
        transcription.ValueKind == JsonValueKind.Object && transcription.TryGetProperty("text"u8, out var text)
            ? text.ValueKind == JsonValueKind.String ? text.GetString() : string.Empty
            : null;
}
