using Google.Protobuf;
using VoicePlatform.Contracts.Router;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// The warm-up session's Router, as frames on its stream: <c>session.created</c> first, an acknowledgement for every
/// client frame, 20 ms of model audio (PCM16 24 kHz, as Routers send it) for every audio frame, and the events a
/// provider answers a session.update, a commit and a response.create with.
/// </summary>
internal static class WarmUpRouterScript
{
    public const string ResponseId = "resp_warmup";
    private const string ItemId = "item_warmup_assistant";

    private static readonly ByteString ModelAudio = ByteString.CopyFrom(new byte[24_000 / 50 * 2]);

    private const string Session = """{"type":"realtime","object":"realtime.session","id":"sess_upstream","model":"warm-up","output_modalities":["audio"],"instructions":"Warm-up.","audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"turn_detection":{"type":"server_vad","threshold":0.5,"prefix_padding_ms":300,"silence_duration_ms":200}},"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"marin","speed":1.0}}}""";

    public static SessionServerFrame SessionCreated() => Event(
        """{"type":"session.created","event_id":"event_warmup_created","session":""" + Session + ""","routing":{"model":"warm-up"}}""");

    public static IEnumerable<SessionServerFrame> Answer(SessionClientFrame frame)
    {
        yield return new SessionServerFrame { Ack = new Ack { Seq = frame.Seq, Handed = frame.Seq } };
        if (frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio)
        {
            yield return new SessionServerFrame
            {
                OutputAudio = new OutputAudio { ResponseId = ResponseId, ItemId = ItemId, Pcm16 = ModelAudio, SampleRate = 24_000 },
            };
            yield break;
        }
        if (frame.FrameCase != SessionClientFrame.FrameOneofCase.ClientEvent) yield break;
        switch (RealtimeEventType.Read(frame.ClientEvent.Json.Span))
        {
            case "session.update":
                yield return Event("""{"type":"session.updated","event_id":"event_warmup_updated","session":""" + Session + """}""");
                break;
            case "input_audio_buffer.commit":
                yield return Event("""{"type":"input_audio_buffer.committed","event_id":"event_warmup_committed","previous_item_id":null,"item_id":"item_warmup_user"}""");
                break;
            case "response.create":
                yield return Event("""{"type":"response.created","event_id":"event_warmup_response_created","response":{"object":"realtime.response","id":"resp_warmup","status":"in_progress","output":[],"audio":{"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"marin"}}}}""", frame.Seq);
                yield return Event("""{"type":"response.output_audio.done","event_id":"event_warmup_audio_done","response_id":"resp_warmup","item_id":"item_warmup_assistant","output_index":0,"content_index":0}""");
                yield return Event("""{"type":"response.done","event_id":"event_warmup_response_done","response":{"object":"realtime.response","id":"resp_warmup","status":"completed","output":[],"audio":{"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"marin"}},"usage":{"total_tokens":1,"input_tokens":1,"output_tokens":0}}}""");
                break;
        }
    }

    private static SessionServerFrame Event(string json, ulong answersSeq = 0) =>
        new() { ServerEvent = new ServerEvent { Json = ByteString.CopyFromUtf8(json), AnswersSeq = answersSeq } };
}
