using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using VoicePlatform.Audio;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// The warm-up session's client, as a realtime client behaves: <c>session.update</c> with its audio formats, 20 ms
/// <c>input_audio_buffer.append</c> messages in bursts, a commit and <c>response.create</c>; it reads everything the
/// Gateway sends, and closes once <c>response.done</c> has arrived.
/// </summary>
internal sealed class WarmUpClient(WebSocket socket, AudioFormat format, GatewayWarmUpOptions settings, TimeProvider time)
{
    private readonly TaskCompletionSource _responseDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>response.output_audio.delta</c> messages received.</summary>
    public int AudioDeltasReceived { get; private set; }

    /// <summary>Their audio, decoded from base64.</summary>
    public long AudioBytesReceived { get; private set; }

    /// <summary>Other messages received.</summary>
    public int EventsReceived { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var receiving = ReceiveAsync(cancellationToken);
        await SendAsync(SessionUpdate(format), cancellationToken);
        var append = AppendTemplate(format);
        for (var i = 0; i < settings.Frames; i++)
        {
            await SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, append, i), cancellationToken);
            if (i % settings.FramesPerBurst == settings.FramesPerBurst - 1 && settings.BurstPause > TimeSpan.Zero)
                await Task.Delay(settings.BurstPause, time, cancellationToken);
        }
        await SendAsync("""{"type":"input_audio_buffer.commit","event_id":"evt_warmup_commit"}""", cancellationToken);
        await SendAsync("""{"type":"response.create","event_id":"evt_warmup_response"}""", cancellationToken);
        await _responseDone.Task.WaitAsync(cancellationToken);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cancellationToken);
        await receiving;
    }

    /// <summary>20 ms of audio in <paramref name="format"/>.</summary>
    public static int FrameBytes(AudioFormat format) => format.SampleRate / 50 * (format.Encoding == AudioEncoding.Pcm16 ? 2 : 1);

    private Task SendAsync(string json, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return;
            buffer.Advance(result.Count);
            if (!result.EndOfMessage) continue;
            Observe(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }

    private void Observe(ReadOnlySpan<byte> json)
    {
        var type = RealtimeEventType.Read(json);
        if (type == "response.output_audio.delta")
        {
            using var document = System.Text.Json.JsonDocument.Parse(json.ToArray());
            AudioBytesReceived += document.RootElement.GetProperty("delta").GetBytesFromBase64().Length;
            AudioDeltasReceived++;
            return;
        }
        EventsReceived++;
        if (type == "response.done") _responseDone.TrySetResult();
    }

    private static string SessionUpdate(AudioFormat format)
    {
        var wire = format.Encoding == AudioEncoding.Pcm16
            ? "{\"type\":\"audio/pcm\",\"rate\":" + format.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}"
            : "{\"type\":\"" + format.RealtimeType + "\"}";
        return """{"type":"session.update","event_id":"evt_warmup_update","session":{"type":"realtime","instructions":"Warm-up.","output_modalities":["audio"],"audio":{"input":{"format":""" + wire + ""","turn_detection":{"type":"server_vad"}},"output":{"format":""" + wire + ""","voice":"marin"}}}}""";
    }

    /// <summary>An append message with a 20 ms quiet tone in <paramref name="format"/>; <c>{0}</c> is the frame number.</summary>
    private static string AppendTemplate(AudioFormat format)
    {
        var pcm = new byte[FrameBytes(AudioFormat.Pcm16At24kHz)];
        for (var i = 0; i < pcm.Length / 2; i++)
            BitConverter.TryWriteBytes(pcm.AsSpan(i * 2), (short)(500 * Math.Sin(2 * Math.PI * 440 * i / 24_000.0)));
        var audio = pcm;
        if (format != AudioFormat.Pcm16At24kHz)
        {
            var transcoder = new AudioTranscoder(AudioFormat.Pcm16At24kHz, format);
            audio = new byte[transcoder.GetMaxOutputBytes(pcm.Length)];
            audio = audio[..transcoder.Transcode(pcm, audio)];
        }
        return "{{\"type\":\"input_audio_buffer.append\",\"event_id\":\"evt_warmup_{0}\",\"audio\":\"" + Convert.ToBase64String(audio) + "\"}}";
    }
}
