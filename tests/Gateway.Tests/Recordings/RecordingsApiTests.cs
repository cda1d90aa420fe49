using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.Gateway.Tests.Transcripts;
using VoicePlatform.Recordings;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.Recordings;

[Collection(TranscriptsServiceCollection.Name)]
public class RecordingsApiTests(TranscriptsApiTestContext context)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Recording_is_off_by_default_and_switched_per_tenant()
    {
        var (_, first) = await context.NewTenantAsync();
        var (_, second) = await context.NewTenantAsync();

        Assert.False(await EnabledAsync(first));
        using var put = await first.PutAsJsonAsync("/v1/recordings/settings", new { enabled = true });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True((await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.True(await EnabledAsync(first));
        Assert.False(await EnabledAsync(second)); // another tenant is untouched

        using var off = await first.PutAsJsonAsync("/v1/recordings/settings", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False(await EnabledAsync(first));
    }

    [Fact]
    public async Task Settings_refuse_a_bad_body_and_a_missing_key_in_OpenAI_shape()
    {
        var (_, client) = await context.NewTenantAsync();
        using var missing = await client.PutAsJsonAsync("/v1/recordings/settings", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var error = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Equal("enabled", error.GetProperty("param").GetString());

        using var wrongType = await client.PutAsync("/v1/recordings/settings", new StringContent("""{"enabled":"yes"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("invalid_json", (await wrongType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        using var anonymous = context.Gateway.CreateClient();
        using var refused = await anonymous.GetAsync("/v1/recordings/settings");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_api_key", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_stored_recording_streams_as_wav_with_ranges_and_only_to_its_tenant()
    {
        var (tenant, owner) = await context.NewTenantAsync();
        var (_, stranger) = await context.NewTenantAsync();
        var session = $"sess_{Guid.NewGuid():N}";
        var wav = await StoreAndAnnounceAsync(tenant, session);

        var full = await Poll.UntilAsync(() => owner.GetAsync($"/v1/sessions/{session}/recording"), r => r.StatusCode == HttpStatusCode.OK, Patience);
        Assert.Equal("audio/wav", full.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", full.Headers.AcceptRanges.Single());
        Assert.Equal(wav, await full.Content.ReadAsByteArrayAsync());

        await AssertRangeAsync(owner, session, "bytes=0-43", wav, 0, 43);
        await AssertRangeAsync(owner, session, "bytes=1000-", wav, 1000, wav.Length - 1);
        await AssertRangeAsync(owner, session, "bytes=-100", wav, wav.Length - 100, wav.Length - 1);
        await AssertRangeAsync(owner, session, $"bytes=10-{wav.Length + 500}", wav, 10, wav.Length - 1); // clamped to the end

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{session}/recording");
        unsatisfiable.Headers.Range = new RangeHeaderValue(wav.Length, null);
        using var refused = await owner.SendAsync(unsatisfiable);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal($"bytes */{wav.Length}", refused.Content.Headers.GetValues("Content-Range").Single());

        // Another tenant asking for it, or for an unknown session: the same 404.
        using var otherTenant = await stranger.GetAsync($"/v1/sessions/{session}/recording");
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal("recording_not_found", (await otherTenant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        using var unknown = await owner.GetAsync($"/v1/sessions/sess_{Guid.NewGuid():N}/recording");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_session_summary_says_whether_it_has_a_recording()
    {
        var (tenant, owner) = await context.NewTenantAsync();
        var session = $"sess_{Guid.NewGuid():N}";
        await context.Bus.Publish(new SessionStarted(Guid.NewGuid(), tenant, session, "gpt-realtime-2", "openai", null, "openai-realtime", DateTimeOffset.UtcNow));
        var before = await Poll.UntilAsync(() => owner.GetAsync($"/v1/sessions/{session}"), r => r.StatusCode == HttpStatusCode.OK, Patience);
        Assert.False((await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("has_recording").GetBoolean());

        await StoreAndAnnounceAsync(tenant, session);
        var after = await Poll.UntilAsync(async () => (await (await owner.GetAsync($"/v1/sessions/{session}")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("has_recording").GetBoolean(), has => has, Patience);
        Assert.True(after);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_recordings_api()
    {
        using var anonymous = context.Gateway.CreateClient();
        var paths = (await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        Assert.True(paths.GetProperty("/v1/recordings/settings").TryGetProperty("get", out _));
        var put = paths.GetProperty("/v1/recordings/settings").GetProperty("put");
        Assert.Contains("RecordingSettingsRequest", put.GetProperty("requestBody").ToString());
        var download = paths.GetProperty("/v1/sessions/{id}/recording").GetProperty("get").GetProperty("responses");
        Assert.True(download.GetProperty("200").GetProperty("content").TryGetProperty("audio/wav", out _));
        Assert.True(download.TryGetProperty("206", out _));
        Assert.True(download.TryGetProperty("416", out _));
        Assert.True(download.TryGetProperty("404", out _));
    }

    [Fact]
    public async Task Both_services_use_the_configured_S3_bucket()
    {
        var key = $"recordings/{Guid.NewGuid()}/sess_probe/probe.bin";
        await context.RecordingStore.PutAsync(key, new MemoryStream([1, 2, 3]));

        // The Gateway writes and serves recordings there; Transcripts deletes them past retention from there.
        var gateway = context.Gateway.Services.GetRequiredService<RecordingStorage>().Store;
        var transcripts = context.TranscriptsServices.GetRequiredService<IRecordingStore>();
        Assert.IsType<S3RecordingStore>(gateway);
        Assert.IsType<S3RecordingStore>(transcripts);
        Assert.Equal(3, await gateway!.GetSizeAsync(key));
        Assert.True(await transcripts.DeleteAsync(key));
        Assert.Null(await context.RecordingStore.GetSizeAsync(key));
    }

    [Fact]
    public async Task Recordings_left_unannounced_are_assembled_and_announced_by_the_sweep()
    {
        var (tenant, owner) = await context.NewTenantAsync();
        var store = context.RecordingStore;
        var tone = new byte[7 * 48_000];
        for (var i = 0; i < tone.Length / 2; i++) BitConverter.TryWriteBytes(tone.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 24000.0)));

        // A Gateway that died mid-session: 7 s recorded and flushed (one 5 s part stored), never completed.
        var crashed = $"sess_{Guid.NewGuid():N}";
        var recorder = StereoCallRecorder.ForSession(store, tenant.ToString(), crashed);
        recorder.AppendCaller(tone, TimeSpan.Zero);
        await recorder.FlushAsync(TimeSpan.FromSeconds(9));
        await recorder.DisposeAsync();
        // A recording completed, but whose announcement never got through.
        var unannounced = $"sess_{Guid.NewGuid():N}";
        await using (var completed = StereoCallRecorder.ForSession(store, tenant.ToString(), unannounced))
        {
            completed.AppendCaller(tone, TimeSpan.Zero);
            await completed.CompleteAsync(TimeSpan.FromSeconds(8));
        }

        var sweep = ActivatorUtilities.CreateInstance<UnannouncedRecordingSweep>(context.Gateway.Services);
        var prefixes = new[] { $"recordings/{tenant}/{crashed}/", $"recordings/{tenant}/{unannounced}/" };
        var found = await UnannouncedRecordingSweep.UnannouncedAsync(store, CancellationToken.None);
        Assert.All(prefixes, prefix => Assert.Contains(prefix, found.Keys));
        foreach (var prefix in prefixes) await sweep.RecoverAsync(store, prefix, CancellationToken.None);
        found = await UnannouncedRecordingSweep.UnannouncedAsync(store, CancellationToken.None);
        Assert.All(prefixes, prefix => Assert.DoesNotContain(prefix, found.Keys));

        var recovered = await Poll.UntilAsync(() => owner.GetAsync($"/v1/sessions/{crashed}/recording"), r => r.StatusCode == HttpStatusCode.OK, Patience);
        Assert.Equal(44 + 5 * 24_000 * 4, (await recovered.Content.ReadAsByteArrayAsync()).Length); // the stored part, playable
        var announced = await Poll.UntilAsync(() => owner.GetAsync($"/v1/sessions/{unannounced}/recording"), r => r.StatusCode == HttpStatusCode.OK, Patience);
        Assert.Equal(44 + 8 * 24_000 * 4, (await announced.Content.ReadAsByteArrayAsync()).Length);
    }

    private static async Task AssertRangeAsync(HttpClient client, string session, string range, byte[] wav, long first, long last)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{session}/recording");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {first}-{last}/{wav.Length}", response.Content.Headers.GetValues("Content-Range").Single());
        Assert.Equal(wav.AsSpan((int)first, (int)(last - first + 1)).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Records 1.5 s (a tone on the left) into the shared store and announces it, as the Gateway's tap does.</summary>
    private async Task<byte[]> StoreAndAnnounceAsync(Guid tenant, string session)
    {
        var store = context.RecordingStore;
        await using var recorder = StereoCallRecorder.ForSession(store, tenant.ToString(), session);
        var tone = new byte[24_000]; // 0.5 s
        for (var i = 0; i < tone.Length / 2; i++) BitConverter.TryWriteBytes(tone.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 24000.0)));
        recorder.AppendCaller(tone, TimeSpan.FromMilliseconds(200));
        var result = await recorder.CompleteAsync(TimeSpan.FromSeconds(1.5));
        await context.Bus.Publish(new RecordingStored(Guid.NewGuid(), tenant, session, result.Key, result.SizeBytes, (long)result.Duration.TotalMilliseconds,
            result.Sha256, result.SampleRate, result.Channels, DateTimeOffset.UtcNow));
        await using var stored = (await store.OpenReadAsync(result.Key))!;
        var bytes = new MemoryStream();
        await stored.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    private static async Task<bool> EnabledAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/recordings/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("recording_settings", body.GetProperty("object").GetString());
        return body.GetProperty("enabled").GetBoolean();
    }
}
