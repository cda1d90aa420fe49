namespace VoicePlatform.Emulators.InputAudioRecording;

/// <summary>An emulator's input audio records by session id (empty unless its Record:InputAudio setting is on).</summary>
public interface IInputAudioRecords
{
    bool Enabled { get; }

    IInputAudioRecord? Find(string sessionId);

    /// <summary>Every record, oldest first.</summary>
    IReadOnlyList<InputAudioSummary> List();

    void Clear();
}
