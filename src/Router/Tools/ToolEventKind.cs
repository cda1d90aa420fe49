using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tools;

/// <summary>The events the server-tool layer acts on; everything else passes through untouched.</summary>
internal enum ToolEventKind : byte
{
    Other,
    // provider → client
    SessionUpdated, Error, SpeechStarted, OutputItemDone, ItemDone, ResponseDone, CallCancelled,
    // client → provider
    SessionUpdate, ResponseCreate, ResponseCancel, ItemCreate,
}

internal static class ToolEventKinds
{
    /// <summary>The kind of a client event (its <c>type</c> read without parsing the rest; an unlisted one allocates nothing).</summary>
    public static ToolEventKind Of(ReadOnlySpan<byte> json) => Of(RealtimeEventType.ReadListed(json));

    public static ToolEventKind Of(string? type) => type switch
    {
        "response.done" => ToolEventKind.ResponseDone,
        "response.output_item.done" => ToolEventKind.OutputItemDone,
        "conversation.item.done" => ToolEventKind.ItemDone,
        "input_audio_buffer.speech_started" => ToolEventKind.SpeechStarted,
        "session.updated" => ToolEventKind.SessionUpdated,
        // Extension event (Gemini connector, from toolCallCancellation): see docs/tools.md.
        "response.function_call.cancelled" => ToolEventKind.CallCancelled,
        "error" => ToolEventKind.Error,
        "session.update" => ToolEventKind.SessionUpdate,
        "response.create" => ToolEventKind.ResponseCreate,
        "response.cancel" => ToolEventKind.ResponseCancel,
        "conversation.item.create" => ToolEventKind.ItemCreate,
        _ => ToolEventKind.Other,
    };
}
