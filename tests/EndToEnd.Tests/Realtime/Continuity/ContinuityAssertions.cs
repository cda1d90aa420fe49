using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Continuity;

/// <summary>What "the client noticed nothing" means for a <see cref="ContinuousConversation"/>.</summary>
internal static partial class ContinuityAssertions
{
    /// <summary>
    /// No error or extra lifecycle event; every response the script expects arrived once, in order, with its whole
    /// transcript and all its audio (<paramref name="msPerCharacter"/> of 24 kHz audio per reply character).
    /// </summary>
    public static void ConversationIsUninterrupted(ContinuousConversation conversation, int msPerCharacter)
    {
        var events = conversation.Events;
        Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created" or "session.draining" or "session.resumed");
        Assert.DoesNotContain(events, e => e.Type() == "session.updated");

        var responses = conversation.Responses();
        var summary = string.Join(Environment.NewLine, responses);
        Assert.True(conversation.Expected.Count == responses.Count,
            $"expected {conversation.Expected.Count} responses, got {responses.Count}:{Environment.NewLine}{summary}");
        for (var i = 0; i < responses.Count; i++)
        {
            var (expected, actual) = (conversation.Expected[i], responses[i]);
            var context = $"response #{i} ({expected}) was {actual}{Environment.NewLine}{summary}";
            Assert.True(expected.Status == actual.Status, context);
            if (expected.FunctionCall is not null)
            {
                Assert.True(actual.FunctionCalls.SequenceEqual([expected.FunctionCall]), context);
                continue;
            }
            if (expected.Status != "completed") continue;

            Assert.True(actual.Transcript is not null, context);
            if (expected.Transcript == "spoken")
            {
                var heard = Heard().Match(actual.Transcript!);
                Assert.True(heard.Success, context);
                Assert.InRange(double.Parse(heard.Groups[1].Value, CultureInfo.InvariantCulture), 0.3, 0.9);
            }
            else
            {
                Assert.True(expected.Transcript == actual.Transcript, context);
            }
            // Every transcript fragment and every audio chunk reached the client, once.
            Assert.True(actual.TranscriptDeltas.ToString() == actual.Transcript, context);
            var audioBytes = actual.Transcript!.Length * msPerCharacter * (ContinuousConversation.SampleRate / 1000) * 2;
            Assert.True(Math.Abs(actual.AudioBytes - audioBytes) <= 2 * 48, $"{actual.AudioBytes} audio bytes, {audioBytes} expected: {context}");
        }

        // Each spoken turn was transcribed once.
        var transcribed = events.Where(e => e.Type() == "conversation.item.input_audio_transcription.completed").Select(e => e.Str("item_id")).ToList();
        Assert.Equal(conversation.SpokenTurns, transcribed.Count);
        Assert.Equal(transcribed.Count, transcribed.Distinct().Count());
    }

    /// <summary>Where <paramref name="slice"/> starts in <paramref name="stream"/> (it must be found, whole).</summary>
    public static int OffsetOf(byte[] stream, byte[] slice)
    {
        var probe = slice.AsSpan(0, Math.Min(slice.Length, 1920));
        var offset = stream.AsSpan().IndexOf(probe);
        Assert.True(offset >= 0, "a recorded stretch of audio is not part of what the client sent");
        Assert.True(stream.AsSpan(offset).StartsWith(slice), $"the audio recorded from byte {offset} on differs from what the client sent");
        return offset;
    }

    /// <summary>
    /// The provider sessions' input audio (oldest first) as one stream, without the one repeat the design allows: a
    /// rollover forced mid-utterance gives the new connection the utterance so far again, because the old connection
    /// never committed it (<c>OpenAIRollover</c>; docs/continuity.md). Such a session begins with exactly the last bytes
    /// the session before it took in; each repeat's length in ms goes to <paramref name="repeatsMs"/>.
    /// </summary>
    public static byte[] WithoutRolloverRepeats(IReadOnlyList<byte[]> sessions, List<int> repeatsMs)
    {
        using var stream = new MemoryStream();
        byte[]? previous = null;
        foreach (var audio in sessions)
        {
            var repeated = previous is null ? 0 : RepeatedTail(previous, audio);
            if (repeated > 0) repeatsMs.Add(repeated / (ContinuousConversation.SampleRate / 1000 * 2));
            stream.Write(audio, repeated, audio.Length - repeated);
            previous = audio;
        }
        return stream.ToArray();
    }

    /// <summary>How many bytes <paramref name="next"/> starts with that are <paramref name="previous"/>'s last ones.</summary>
    private static int RepeatedTail(byte[] previous, byte[] next)
    {
        const int probeBytes = 480; // 10 ms of the conversation's noise, which never repeats by chance
        if (next.Length < probeBytes) return 0;
        var at = previous.AsSpan().LastIndexOf(next.AsSpan(0, probeBytes));
        return at >= 0 && next.AsSpan().StartsWith(previous.AsSpan(at)) ? previous.Length - at : 0;
    }

    [GeneratedRegex(@"^I heard (\d+\.\d) seconds of audio\.$")]
    private static partial Regex Heard();
}
