using System.Text;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The turn tracker for the user's side of a Gemini session: the input buffer the client sees (audio since the last
/// commit or clear), the spoken item being formed, and the committed item whose transcription Gemini is still sending
/// (Gemini's input transcription has no item id: its fragments belong to the latest committed user audio). Not
/// thread-safe: the session's event loop owns it.
/// </summary>
public sealed class GeminiUserTurn
{
    private readonly StringBuilder _transcript = new();

    /// <summary>16 kHz samples sent since the session started: the audio clock of speech_started / speech_stopped.</summary>
    public long InputSamples { get; private set; }

    public long InputMs => InputSamples / (GeminiClientMessages.InputRate / 1000);

    /// <summary>Milliseconds of client audio since the last commit or clear (input_audio_buffer_commit_empty below 100).</summary>
    public double BufferedMs { get; private set; }

    /// <summary>The item the speech under way will become (named at speech_started), if any.</summary>
    public string? SpeechItemId { get; private set; }

    /// <summary>The committed user item Gemini's input transcription is filling, if any.</summary>
    public string? TranscribingItemId { get; private set; }

    /// <summary>Client audio arrived: <paramref name="clientMs"/> of it, <paramref name="samples16k"/> samples as sent upstream.</summary>
    public void AudioIn(double clientMs, long samples16k)
    {
        BufferedMs += clientMs;
        InputSamples += samples16k;
    }

    /// <summary>speech_started: the item the speech will become (kept if already named).</summary>
    public string SpeechStarted() => SpeechItemId ??= RealtimeIds.New("item");

    /// <summary>The buffer becomes an item (speech_stopped or input_audio_buffer.commit): its id and duration; the buffer starts again.</summary>
    public (string ItemId, double DurationMs) Commit()
    {
        var committed = (SpeechItemId ?? RealtimeIds.New("item"), BufferedMs);
        SpeechItemId = null;
        BufferedMs = 0;
        return committed;
    }

    /// <summary>input_audio_buffer.clear: the buffer starts again (audio Gemini already heard stays heard).</summary>
    public void Clear() => BufferedMs = 0;

    /// <summary>Turn detection changed: the speech under way is no longer an item.</summary>
    public void ForgetSpeech() => SpeechItemId = null;

    /// <summary>Transcription fragments from now on belong to <paramref name="itemId"/>.</summary>
    public void Transcribing(string itemId) => TranscribingItemId = itemId;

    /// <summary>A transcription fragment; false (dropped) when no committed item is waiting for words.</summary>
    public bool AddTranscription(string text)
    {
        if (TranscribingItemId is null)
        {
            return false;
        }

        _transcript.Append(text);
        return true;
    }

    /// <summary>The waiting item's words, once it has some; the item then no longer waits.</summary>
    public bool TakeTranscript(out string itemId, out string transcript)
    {
        if (TranscribingItemId is not { } id || _transcript.Length == 0)
        {
            itemId = transcript = "";
            return false;
        }

        itemId = id;
        transcript = _transcript.ToString();
        _transcript.Clear();
        TranscribingItemId = null;
        return true;
    }
}
