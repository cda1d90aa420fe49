using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit;

namespace VoicePlatform.TestSupport.Emulators;

/// <summary>Reads the emulator's /emulator/sessions input audio record over HTTP.</summary>
public sealed class InputAudioRecordClient(Uri httpBase) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(10) };

    public async Task<List<JsonElement>> ListAsync()
    {
        using var response = await _http.GetAsync("/emulator/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("sessions").EnumerateArray().Select(s => s.Clone())];
    }

    public async Task<(byte[] Pcm, int SampleRate)> AudioAsync(string sessionId)
    {
        using var response = await _http.GetAsync($"/emulator/sessions/{Uri.EscapeDataString(sessionId)}/input-audio");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var rate = int.Parse(response.Headers.GetValues("X-Audio-Sample-Rate").Single(), CultureInfo.InvariantCulture);
        return (await response.Content.ReadAsByteArrayAsync(), rate);
    }

    /// <summary>Polls the listing until the session reports ended (its last connection closed).</summary>
    public async Task<JsonElement> WaitForEndedAsync(string sessionId)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var session = (await ListAsync()).Single(s => s.GetProperty("id").GetString() == sessionId);
            if (session.GetProperty("ended").GetBoolean() || DateTimeOffset.UtcNow > deadline)
            {
                return session;
            }

            await Task.Delay(20);
        }
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    public void Dispose() => _http.Dispose();
}
