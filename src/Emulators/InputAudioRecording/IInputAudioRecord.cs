namespace VoicePlatform.Emulators.InputAudioRecording;

/// <summary>The input audio one emulated session accepted.</summary>
public interface IInputAudioRecord
{
    InputAudioSummary Summarize();

    /// <summary>The audio as PCM16 LE mono and its sample rate.</summary>
    (byte[] Pcm, int SampleRate) Read();
}
