using VoicePlatform.Emulators.InputAudioRecording;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;

namespace VoicePlatform.Emulators.OpenAIRealtime.Recording;

/// <summary>All input audio records of this server, by session id (only filled when Record:InputAudio is on).</summary>
internal sealed class InputAudioRecorder(IOptionsMonitor<OpenAIEmulatorOptions> options) : IInputAudioRecords
{
    private readonly ConcurrentDictionary<string, InputAudioRecord> _records = new(StringComparer.Ordinal);

    public bool Enabled => options.CurrentValue.Record.InputAudio;

    /// <summary>A new record for a new session, or null when recording is off.</summary>
    public InputAudioRecord? Start(string sessionId, DateTimeOffset createdAt, int sampleRate)
    {
        var settings = options.CurrentValue.Record;
        if (!settings.InputAudio)
        {
            return null;
        }

        var record = new InputAudioRecord(sessionId, createdAt, sampleRate, Math.Max(0, settings.MaxBytesPerSession));
        _records[sessionId] = record;
        return record;
    }

    public InputAudioRecord? Find(string sessionId) => _records.GetValueOrDefault(sessionId);

    IInputAudioRecord? IInputAudioRecords.Find(string sessionId) => Find(sessionId);

    public IReadOnlyList<InputAudioSummary> List() =>
        [.. _records.Values
            .Select(r => r.Summarize())
            .OrderBy(s => s.CreatedAt)
            .ThenBy(s => s.Id, StringComparer.Ordinal)];

    /// <summary>Forgets every record; sessions still open keep writing to theirs, which is no longer listed.</summary>
    public void Clear() => _records.Clear();
}
