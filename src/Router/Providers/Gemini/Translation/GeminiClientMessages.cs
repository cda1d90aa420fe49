using System.Text.Json;
using VoicePlatform.Audio;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The Gemini Live client messages the session sends after setup, written into an object the caller has started (one
/// message each): the provider side of the translator, pure and socket-free. Shapes per docs/protocols gemini-live.md:
/// <c>realtimeInput</c> (audio, image frames, activity signals, audioStreamEnd), <c>clientContent</c> (turns) and <c>toolResponse</c>.
/// </summary>
public static class GeminiClientMessages
{
    /// <summary>The only input format Live takes: 16 kHz mono PCM16.</summary>
    public const int InputRate = SpeechDetector.SampleRate;

    public const string InputMime = "audio/pcm;rate=16000";

    /// <summary>How much audio one message carries when a stretch is sent at once (manual commit, re-spoken turn): 100 ms.</summary>
    public const int ChunkBytes = InputRate * 2 / 10;

    /// <summary><c>{"realtimeInput":{"audio":{"data":…,"mimeType":"audio/pcm;rate=16000"}}}</c>.</summary>
    public static void Audio(Utf8JsonWriter w, ReadOnlySpan<byte> pcm16k)
    {
        w.WriteStartObject("realtimeInput"u8);
        w.WriteStartObject("audio"u8);
        w.WriteBase64String("data"u8, pcm16k);
        w.WriteString("mimeType"u8, InputMime);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Whether a written message is <see cref="Audio"/> (replay keeps only recent audio).</summary>
    public static bool IsAudio(ReadOnlySpan<byte> json) => json.StartsWith("{\"realtimeInput\":{\"audio\""u8);

    /// <summary>The last <see cref="Audio"/> messages that together hold at least <paramref name="duration"/> (all if they hold less).</summary>
    public static IEnumerable<byte[]> NewestAudio(List<byte[]> audio, TimeSpan duration)
    {
        // The JSON around the base64 is the same size in each message, so its length measures the audio well enough.
        var wanted = (long)(duration.TotalSeconds * InputRate * 2);
        var first = audio.Count;
        for (long bytes = 0; first > 0 && bytes < wanted; first--)
        {
            bytes += (audio[first - 1].Length - AudioMessageOverhead) * 3 / 4;
        }

        return audio.Skip(first);
    }

    private static readonly int AudioMessageOverhead =
        "{\"realtimeInput\":{\"audio\":{\"data\":\"\",\"mimeType\":\"audio/pcm;rate=16000\"}}}"u8.Length;

    /// <summary>
    /// <c>{"realtimeInput":{"video":{"mimeType":"image/jpeg","data":…}}}</c>: one image frame (gemini-live-3.8-and-vertex.md
    /// §3.5). The data is base64 already checked, passed through as it came.
    /// </summary>
    public static void Video(Utf8JsonWriter w, string mimeType, ReadOnlySpan<char> base64)
    {
        w.WriteStartObject("realtimeInput"u8);
        w.WriteStartObject("video"u8);
        w.WriteString("mimeType"u8, mimeType);
        w.WriteString("data"u8, base64);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>{"realtimeInput":{"activityStart":{}}}</c> and <c>activityEnd</c>: a manual turn's brackets.</summary>
    public static void ActivityStart(Utf8JsonWriter w) => Activity(w, "activityStart"u8);

    public static void ActivityEnd(Utf8JsonWriter w) => Activity(w, "activityEnd"u8);

    private static void Activity(Utf8JsonWriter w, ReadOnlySpan<byte> signal)
    {
        w.WriteStartObject("realtimeInput"u8);
        w.WriteStartObject(signal);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>{"realtimeInput":{"audioStreamEnd":true}}</c>: the user stopped mid-stream (a commit during speech).</summary>
    public static void AudioStreamEnd(Utf8JsonWriter w)
    {
        w.WriteStartObject("realtimeInput"u8);
        w.WriteBoolean("audioStreamEnd"u8, true);
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>{"realtimeInput":{"text":…}}</c>: user text Gemini answers (3.1 takes text mid-session only this way). It cannot
    /// carry roles: context other than the user's own words goes in it as bracketed text.
    /// </summary>
    public static void Text(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject("realtimeInput"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    /// <summary><c>{"clientContent":{"turnComplete":true}}</c>: answer the latest input in the context.</summary>
    public static void AnswerNow(Utf8JsonWriter w) => ClientContent(w, [], turnComplete: true);

    /// <summary>
    /// <c>{"clientContent":{"turns":[{"role":…,"parts":[{"text":…},{"inlineData":…}]}],"turnComplete":…}}</c>; a turn's
    /// 24 kHz audio goes up resampled to 16 kHz.
    /// </summary>
    public static void ClientContent(Utf8JsonWriter w, IReadOnlyList<PendingTurn> turns, bool turnComplete)
    {
        w.WriteStartObject("clientContent"u8);
        if (turns.Count > 0)
        {
            w.WriteStartArray("turns"u8);
            foreach (var turn in turns)
            {
                w.WriteStartObject();
                w.WriteString("role"u8, turn.Role);
                w.WriteStartArray("parts"u8);
                if (turn.Text.Length > 0)
                {
                    w.WriteStartObject();
                    w.WriteString("text"u8, turn.Text);
                    w.WriteEndObject();
                }

                if (turn.Audio24k is { Length: > 1 } audio)
                {
                    var transcoder = new AudioTranscoder(AudioFormat.Pcm16At24kHz, AudioFormat.Pcm16At16kHz);
                    var resampled = new byte[transcoder.GetMaxOutputBytes(audio.Length)];
                    var written = transcoder.Transcode(audio, resampled);
                    w.WriteStartObject();
                    w.WriteStartObject("inlineData"u8);
                    w.WriteString("mimeType"u8, InputMime);
                    w.WriteBase64String("data"u8, resampled.AsSpan(0, written));
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (turnComplete)
        {
            w.WriteBoolean("turnComplete"u8, true);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// <c>{"toolResponse":{"functionResponses":[{"id":…,"name":…,"response":{"output":…}}]}}</c>; with
    /// <paramref name="scheduling"/> (asynchronous calls: <c>WHEN_IDLE</c>, <c>SILENT</c>) each response carries it.
    /// </summary>
    public static void ToolResponse(Utf8JsonWriter w, IEnumerable<(string CallId, string Name, string Output)> outputs, string? scheduling = null)
    {
        w.WriteStartObject("toolResponse"u8);
        w.WriteStartArray("functionResponses"u8);
        foreach (var (callId, name, output) in outputs)
        {
            w.WriteStartObject();
            w.WriteString("id"u8, callId);
            w.WriteString("name"u8, name);
            w.WriteStartObject("response"u8);
            w.WritePropertyName("output"u8);
            ToolOutput(w, output);
            w.WriteEndObject();
            if (scheduling is not null)
            {
                w.WriteString("scheduling"u8, scheduling);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>function_call_output is a string; JSON is passed as JSON so the model sees structure.</summary>
    private static void ToolOutput(Utf8JsonWriter w, string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            document.RootElement.WriteTo(w);
        }
        catch (JsonException)
        {
            w.WriteStringValue(output);
        }
    }
}
