using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// Streams a model turn's current segment: modelTurn chunks paced faster than realtime (audio with transcript
/// fragments, or text), then generationComplete, with turnComplete timed after the client's assumed playback.
/// </summary>
internal sealed class ModelTurnStreamer(LiveSender sender, GeminiEmulatorOptions options)
{
    public void BeginSegment(ModelTurn turn, bool audio, string text, DateTimeOffset now)
    {
        turn.Segment = text;
        turn.TextOffset = 0;
        turn.AudioOffset = 0;
        turn.SegmentAudio = audio ? SpeechSynthesizer.Synthesize(text, options.Output.MsPerCharacter) : null;
        turn.Stage = ModelTurnStage.Streaming;
        turn.NextDue = now;
    }

    public async Task SendNextChunkAsync(ModelTurn turn, DateTimeOffset now, bool sendsOutputTranscription)
    {
        var output = options.Output;
        var speed = output.GenerationSpeed;
        TimeSpan interval;
        bool done;
        if (turn.SegmentAudio is { } audio)
        {
            var chunkBytes = Math.Max(2, SpeechSynthesizer.SampleRate * 2 * output.ChunkMs / 1000) & ~1;
            var count = Math.Min(chunkBytes, audio.Length - turn.AudioOffset);
            var chunk = audio.AsMemory(turn.AudioOffset, count);
            turn.AudioOffset += count;
            done = turn.AudioOffset >= audio.Length;

            var covered = (int)((long)turn.AudioOffset * turn.Segment.Length / audio.Length);
            var fragment = TakeTranscript(turn, covered, done);
            var seconds = count / 2.0 / SpeechSynthesizer.SampleRate;
            turn.AudioSecondsSent += seconds;
            var playbackStart = turn.PlaybackEnd is { } end && end > now ? end : now;
            turn.PlaybackEnd = playbackStart + TimeSpan.FromSeconds(seconds);

            var transcription = sendsOutputTranscription && fragment.Length > 0 ? fragment : null;
            if (options.Wire.BundleTranscriptions)
            {
                ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { AudioPcm = chunk, OutputTranscription = transcription }, options.Wire.ModelTurnRole);
                await sender.SendAsync();
            }
            else
            {
                ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { AudioPcm = chunk }, options.Wire.ModelTurnRole);
                await sender.SendAsync();
                if (transcription is not null)
                {
                    ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { OutputTranscription = transcription });
                    await sender.SendAsync();
                }
            }

            interval = speed > 0 ? TimeSpan.FromMilliseconds(output.ChunkMs / speed) : TimeSpan.Zero;
        }
        else
        {
            var count = Math.Min(Math.Max(1, output.TextChunkChars), turn.Segment.Length - turn.TextOffset);
            var piece = turn.Segment.Substring(turn.TextOffset, count);
            turn.TextOffset += count;
            turn.Spoken.Append(piece);
            done = turn.TextOffset >= turn.Segment.Length;
            ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { ModelText = piece }, options.Wire.ModelTurnRole);
            await sender.SendAsync();
            interval = speed > 0 ? TimeSpan.FromMilliseconds(count * output.MsPerCharacter / speed) : TimeSpan.Zero;
        }

        if (!done)
        {
            turn.NextDue = now + interval;
            return;
        }

        ServerMessages.ServerContent(sender.Begin(), new ServerContentFrame { GenerationComplete = true });
        await sender.SendAsync();
        turn.Stage = ModelTurnStage.Finishing;
        var completeAt = output.TurnCompleteAfterPlayback && turn.PlaybackEnd is { } playback && playback > now ? playback : now;
        turn.TurnCompleteAt = completeAt + output.TurnCompleteDelay;
    }

    /// <summary>Transcript fragments end at word boundaries (" Echo:", " hello"), the rest goes with the last chunk.</summary>
    private static string TakeTranscript(ModelTurn turn, int coveredChars, bool final)
    {
        var text = turn.Segment;
        var end = final ? text.Length : coveredChars <= 0 ? 0 : text.LastIndexOf(' ', Math.Min(coveredChars, text.Length) - 1) + 1;
        if (end <= turn.TextOffset)
        {
            return string.Empty;
        }

        var fragment = text[turn.TextOffset..end];
        turn.TextOffset = end;
        turn.Spoken.Append(fragment);
        return fragment;
    }
}
