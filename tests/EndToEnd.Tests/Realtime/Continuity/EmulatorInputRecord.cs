using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Continuity;

/// <summary>
/// Client of an emulator's input-audio record (<c>/emulator/sessions</c>, on with <c>Record:InputAudio</c>): the audio
/// each provider session actually took in, Gemini's with resumptions already accounted for. It lists the sessions
/// that started after it was opened: a platform shared by several test classes keeps the earlier classes' sessions.
/// </summary>
internal sealed class EmulatorInputRecord(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    private readonly DateTimeOffset _openedAt = DateTimeOffset.UtcNow;

    public async Task<List<RecordedSession>> SessionsAsync()
    {
        var listing = await _http.GetFromJsonAsync<SessionListing>("/emulator/sessions");
        return [.. listing!.Sessions.Where(s => s.CreatedAt >= _openedAt)];
    }

    public Task<byte[]> InputAudioAsync(string sessionId) =>
        _http.GetByteArrayAsync($"/emulator/sessions/{Uri.EscapeDataString(sessionId)}/input-audio");

    public void Dispose() => _http.Dispose();

    private sealed record SessionListing([property: JsonPropertyName("sessions")] List<RecordedSession> Sessions);
}

internal sealed record RecordedSession(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("connections")] int Connections,
    [property: JsonPropertyName("input_audio_bytes")] long InputAudioBytes,
    [property: JsonPropertyName("sample_rate")] int SampleRate,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("ended")] bool Ended);
