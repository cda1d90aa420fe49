using System.Buffers;
using System.Text;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// Streams an assistant message's content part: text deltas, or synthesized audio chunks with transcript deltas
/// interleaved, paced by <c>ResponseRealtimeFactor</c>; and, for loopback, client audio echoed as output deltas.
/// </summary>
internal sealed class MessageStreamer(
    RealtimeSession session, ActiveResponse response, ResponseOutputItems output, ResponseUsageMeter usage, ResponseGate gate)
{
    // Varying chunk sizes, like the real service's audio deltas.
    private static readonly int[] ChunkMs = [100, 160, 220, 140, 180];
    private const string ObfuscationAlphabet = "aB3dE5gH7jK9mN1pQ2sT4vW6yZ8";

    private readonly StringBuilder _transcript = new();

    private ResponseParameters Parameters => response.Parameters;

    public async Task SpeakAsync(string text)
    {
        text = usage.LimitToMaxOutputTokens(text, session.Options.ReplyMsPerCharacter / Parameters.Speed);
        using (await gate.EnterAsync())
        {
            if (response.Finished)
            {
                return;
            }
            await output.OpenMessageAsync(Parameters.Audio);
        }

        var format = Parameters.OutputFormat;
        var words = SplitWords(text);
        var factor = session.Options.ResponseRealtimeFactor;
        var msPerChar = session.Options.ReplyMsPerCharacter / Parameters.Speed;

        if (!Parameters.Audio)
        {
            foreach (var word in words)
            {
                using (await gate.EnterAsync())
                {
                    if (response.Finished) return;
                    await EmitTextDeltaAsync(word);
                }
                if (factor > 0) await Task.Delay(TimeSpan.FromMilliseconds(word.Length * msPerChar / factor), session.Aborted);
            }
        }
        else
        {
            var total = SpeechSynthesizer.SampleCount(text.Length * msPerChar, format.SampleRate);
            // Word i is "spoken" from the point its first character is reached; its transcript delta goes out
            // just before the audio chunk that starts there, so text leads audio slightly, as in the real stream.
            var wordStarts = new long[words.Count];
            var chars = 0;
            for (var i = 0; i < words.Count; i++)
            {
                wordStarts[i] = text.Length == 0 ? 0 : total * chars / text.Length;
                chars += words[i].Length;
            }
            var nextWord = 0;
            long position = 0;
            var chunkIndex = 0;
            while (position < total || nextWord < words.Count)
            {
                var end = Math.Min(total, position + SpeechSynthesizer.SampleCount(ChunkMs[chunkIndex++ % ChunkMs.Length], format.SampleRate));
                using (await gate.EnterAsync())
                {
                    if (response.Finished) return;
                    while (nextWord < words.Count && (wordStarts[nextWord] <= position || end >= total))
                    {
                        await EmitTranscriptDeltaAsync(words[nextWord++]);
                    }
                    if (end > position)
                    {
                        await EmitAudioChunkAsync(position, end, total);
                    }
                }
                if (factor > 0 && end > position)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds((end - position) * 1000.0 / format.SampleRate / factor), session.Aborted);
                }
                position = end;
            }
        }

        using (await gate.EnterAsync())
        {
            if (!response.Finished)
            {
                await output.CloseCurrentAsync(usage.TruncatedByMaxTokens ? "incomplete" : "completed");
            }
        }
    }

    /// <summary>Sends one client chunk back verbatim (base64 text copied, never decoded, when formats match).</summary>
    public async ValueTask EchoAsync(ReadOnlyMemory<byte> base64Utf8, int decodedBytes, AudioFormat inputFormat)
    {
        usage.AddOutputAudio(inputFormat.DurationMs(decodedBytes));
        session.MarkAssistantAudio();
        var w = output.StartContentEvent("response.output_audio.delta"u8);
        w.WriteString("delta"u8, base64Utf8.Span);
        await session.SendAsync();
    }

    public async ValueTask EchoTranscodedAsync(byte[] audio)
    {
        usage.AddOutputAudio(Parameters.OutputFormat.DurationMs(audio.Length));
        session.MarkAssistantAudio();
        var w = output.StartContentEvent("response.output_audio.delta"u8);
        w.WriteBase64String("delta"u8, audio);
        await session.SendAsync();
    }

    private async ValueTask EmitTranscriptDeltaAsync(string delta)
    {
        _transcript.Append(delta);
        var part = output.Part!;
        part.Transcript = _transcript.ToString();
        usage.CountOutputText(part.Transcript);
        var w = output.StartContentEvent("response.output_audio_transcript.delta"u8);
        w.WriteString("delta"u8, delta);
        // Real deltas carry an undocumented padding field; tolerant parsers must ignore it.
        w.WriteString("obfuscation"u8, ObfuscationAlphabet.AsSpan(0, Math.Max(1, ObfuscationAlphabet.Length - delta.Length % ObfuscationAlphabet.Length)));
        await session.SendAsync();
    }

    private async ValueTask EmitTextDeltaAsync(string delta)
    {
        _transcript.Append(delta);
        var part = output.Part!;
        part.Text = _transcript.ToString();
        usage.CountOutputText(part.Text);
        var w = output.StartContentEvent("response.output_text.delta"u8);
        w.WriteString("delta"u8, delta);
        w.WriteString("obfuscation"u8, ObfuscationAlphabet.AsSpan(0, 1 + delta.Length % 8));
        await session.SendAsync();
    }

    private async ValueTask EmitAudioChunkAsync(long start, long end, long total)
    {
        var format = Parameters.OutputFormat;
        var count = (int)(end - start);
        var samples = ArrayPool<short>.Shared.Rent(count);
        var bytes = ArrayPool<byte>.Shared.Rent(count * 2);
        try
        {
            SpeechSynthesizer.Render(samples.AsSpan(0, count), start, total, format.SampleRate);
            var length = AudioCodec.Encode(format, samples.AsSpan(0, count), bytes);
            var clip = output.Part!.Audio!;
            clip.Append(bytes.AsSpan(0, length));
            usage.SetOutputAudio(clip.DurationMs);
            session.MarkAssistantAudio();
            var w = output.StartContentEvent("response.output_audio.delta"u8);
            w.WriteBase64String("delta"u8, bytes.AsSpan(0, length));
            await session.SendAsync();
        }
        finally
        {
            ArrayPool<short>.Shared.Return(samples);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                words.Add(text[start..i]);
                start = i;
            }
        }
        return words;
    }
}
