using System.Text.Json;
using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>The provider events the OpenAI session acts on; everything else is relayed as it came.</summary>
public enum OpenAIEventKind : byte
{
    Other, AudioDelta, SessionCreated, SessionUpdated, Error, ItemAdded, ItemDone, ItemDeleted, ItemTruncated,
    TranscriptionCompleted, TranscriptionFailed, ResponseCreated, ResponseDone, SpeechStarted, SpeechStopped, Committed, Cleared,
}

/// <summary>
/// What the OpenAI session needs of one provider event, read in a single pass over its top-level properties: its kind
/// and <c>type</c> (the type travels on as the <see cref="CanonicalEvent"/>'s), and for an audio delta — the hot path,
/// 50 a second per response — the ids, indices and where the base64 audio lies in the message, so the delta is
/// decoded in place and never parsed as a document.
/// </summary>
public readonly struct OpenAIServerEvent
{
    public OpenAIEventKind Kind { get; private init; }

    /// <summary>The event's <c>type</c> ("" when it has none); a listed type is a shared string (no allocation).</summary>
    public string Type { get; private init; }

    // Audio deltas only.
    public string? ResponseId { get; private init; }
    public string? ItemId { get; private init; }
    public int OutputIndex { get; private init; }
    public int ContentIndex { get; private init; }

    /// <summary>Where the delta's base64 text starts in the message (-1: no delta).</summary>
    public int DeltaStart { get; private init; }
    public int DeltaLength { get; private init; }

    /// <summary>The delta has JSON escapes (e.g. <c>\/</c>): decode it from the parsed string, not in place.</summary>
    public bool DeltaEscaped { get; private init; }

    /// <summary>
    /// Reads <paramref name="json"/> (a complete provider message); the caches keep a stream of deltas for the same
    /// response and item from allocating their ids again. Throws <see cref="JsonException"/> if it is not a JSON object.
    /// </summary>
    public static OpenAIServerEvent Read(ReadOnlySpan<byte> json, Utf8StringCache responseIds, Utf8StringCache itemIds)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Provider message is not a JSON object.");

        var kind = OpenAIEventKind.Other;
        string? type = null, responseId = null, itemId = null;
        int outputIndex = 0, contentIndex = 0, deltaStart = -1, deltaLength = 0;
        var deltaEscaped = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) break; // no type: relayed as it came
                if (reader.ValueTextEquals(AudioDeltaTypeUtf8))
                {
                    // The hot path (50 a second per response): its type is known, no lookup.
                    (kind, type) = (OpenAIEventKind.AudioDelta, AudioDeltaType);
                    continue;
                }
                // The type is read once, to its shared string; its kind is a switch on that string.
                type = reader.ValueIsEscaped ? reader.GetString()! : KnownEventTypes.Find(reader.ValueSpan) ?? reader.GetString()!;
                kind = KindOf(type);
                break; // only deltas need more than their type
            }
            else if (reader.ValueTextEquals("response_id"u8)) { reader.Read(); responseId = responseIds.Get(ref reader); }
            else if (reader.ValueTextEquals("item_id"u8)) { reader.Read(); itemId = itemIds.Get(ref reader); }
            else if (reader.ValueTextEquals("output_index"u8)) { reader.Read(); outputIndex = reader.GetInt32(); }
            else if (reader.ValueTextEquals("content_index"u8)) { reader.Read(); contentIndex = reader.GetInt32(); }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                deltaStart = (int)reader.TokenStartIndex + 1;
                deltaLength = reader.ValueSpan.Length;
                deltaEscaped = reader.ValueIsEscaped;
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }

        return new OpenAIServerEvent
        {
            Kind = kind,
            Type = type ?? "",
            ResponseId = responseId,
            ItemId = itemId,
            OutputIndex = outputIndex,
            ContentIndex = contentIndex,
            DeltaStart = deltaStart,
            DeltaLength = deltaLength,
            DeltaEscaped = deltaEscaped,
        };
    }

    private const string AudioDeltaType = "response.output_audio.delta";
    private static ReadOnlySpan<byte> AudioDeltaTypeUtf8 => "response.output_audio.delta"u8;

    /// <summary>An audio delta with everything needed to relay it without parsing the message.</summary>
    public bool IsCompleteAudioDelta => Kind == OpenAIEventKind.AudioDelta && DeltaStart >= 0 && ResponseId is not null && ItemId is not null;

    private static OpenAIEventKind KindOf(string type) => type switch
    {
        AudioDeltaType => OpenAIEventKind.AudioDelta,
        "session.created" => OpenAIEventKind.SessionCreated,
        "session.updated" => OpenAIEventKind.SessionUpdated,
        "error" => OpenAIEventKind.Error,
        "conversation.item.added" => OpenAIEventKind.ItemAdded,
        "conversation.item.done" => OpenAIEventKind.ItemDone,
        "conversation.item.deleted" => OpenAIEventKind.ItemDeleted,
        "conversation.item.truncated" => OpenAIEventKind.ItemTruncated,
        "conversation.item.input_audio_transcription.completed" => OpenAIEventKind.TranscriptionCompleted,
        "conversation.item.input_audio_transcription.failed" => OpenAIEventKind.TranscriptionFailed,
        "response.created" => OpenAIEventKind.ResponseCreated,
        "response.done" => OpenAIEventKind.ResponseDone,
        "input_audio_buffer.speech_started" => OpenAIEventKind.SpeechStarted,
        "input_audio_buffer.speech_stopped" => OpenAIEventKind.SpeechStopped,
        "input_audio_buffer.committed" => OpenAIEventKind.Committed,
        "input_audio_buffer.cleared" => OpenAIEventKind.Cleared,
        _ => OpenAIEventKind.Other,
    };
}
