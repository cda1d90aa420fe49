using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>The Azure OpenAI variant at <c>/openai/v1/realtime?model=&lt;deployment&gt;</c>.</summary>
public sealed class AzureVariantTests : IAsyncLifetime
{
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(
        ("OpenAIEmulator:ApiKeys:0", "azure-key-1"),
        ("OpenAIEmulator:Azure:Deployments:voice-prod", "gpt-realtime-2.1"),
        ("OpenAIEmulator:Azure:Deployments:voice-classic", "gpt-realtime"),
        ("OpenAIEmulator:Azure:Deployments:stt", "gpt-realtime-whisper"),
        ("OpenAIEmulator:Azure:Deployments:legacy", "gpt-4o-realtime-preview"),
        ("OpenAIEmulator:Azure:UnsupportedModels:0", "gpt-4o-realtime-preview"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Action<ClientWebSocketOptions> ApiKey(string key) => o => o.SetRequestHeader("api-key", key);

    [Fact]
    public async Task The_api_key_header_opens_a_session_that_reports_the_deployment_name_as_model()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(_host.AzureUri("voice-prod"), "", ApiKey("azure-key-1"));
        var session = (await client.ExpectAsync("session.created")).GetProperty("session");
        Assert.Equal("voice-prod", session.Str("model"));
        Assert.Equal("realtime", session.Str("type"));
    }

    [Fact]
    public async Task A_bearer_token_opens_a_session_too()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(_host.AzureUri("voice-classic"), "azure-key-1");
        Assert.Equal("voice-classic", (await client.ExpectAsync("session.created")).GetProperty("session").Str("model"));
    }

    [Fact]
    public async Task Missing_or_wrong_credentials_are_refused_with_401()
    {
        var missing = await UpgradeRequest.SendAsync(_host.AzureUri("voice-prod"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);

        var wrongKey = await UpgradeRequest.SendAsync(_host.AzureUri("voice-prod"), ("api-key", "azure-key-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.Equal("invalid_api_key", wrongKey.Body.GetProperty("error").Str("code"));

        var wrongBearer = await UpgradeRequest.SendAsync(_host.AzureUri("voice-prod"), ("Authorization", "Bearer azure-key-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.Status);

        // The api-key header is Azure's; the OpenAI path does not read it.
        var onOpenAIPath = await UpgradeRequest.SendAsync(_host.RealtimeUri(), ("api-key", "azure-key-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, onOpenAIPath.Status);
    }

    [Theory]
    [InlineData("stt")]              // maps to gpt-realtime-whisper, a transcription model
    [InlineData("legacy")]           // listed in Azure:UnsupportedModels
    [InlineData("no-such-deployment")] // not in a non-empty deployment map
    public async Task Unsupported_deployments_are_refused_with_400_OpperationNotSupported(string deployment)
    {
        var refused = await UpgradeRequest.SendAsync(_host.AzureUri(deployment), ("api-key", "azure-key-1"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var error = refused.Body.GetProperty("error");
        Assert.Equal("OpperationNotSupported", error.Str("code"));
        Assert.Contains(deployment, error.Str("message"));
        Assert.Equal(["code", "message"], error.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Without_a_deployment_map_the_deployment_name_is_the_model()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using (var client = await RealtimeTestClient.ConnectAsync(host.AzureUri("gpt-realtime-2"), "", ApiKey("anything")))
        {
            Assert.Equal("gpt-realtime-2", (await client.ExpectAsync("session.created")).GetProperty("session").Str("model"));
        }
        foreach (var model in new[] { "gpt-realtime-whisper", "gpt-realtime-translate", "gpt-live-transcribe" })
        {
            var refused = await UpgradeRequest.SendAsync(host.AzureUri(model), ("api-key", "anything"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Equal("OpperationNotSupported", refused.Body.GetProperty("error").Str("code"));
        }
        var noModel = await UpgradeRequest.SendAsync(host.AzureUri(null), ("api-key", "anything"));
        Assert.Equal(HttpStatusCode.BadRequest, noModel.Status);
    }

    [Fact]
    public async Task Reasoning_is_gated_by_the_model_behind_the_deployment()
    {
        await using (var reasoning = await RealtimeTestClient.ConnectAsync(_host.AzureUri("voice-prod"), "", ApiKey("azure-key-1")))
        {
            await reasoning.ExpectAsync("session.created");
            await reasoning.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort = "high" } } });
            var updated = (await reasoning.ExpectAsync("session.updated")).GetProperty("session");
            Assert.Equal("high", updated.GetProperty("reasoning").Str("effort"));
        }

        await using var classic = await RealtimeTestClient.ConnectAsync(_host.AzureUri("voice-classic"), "", ApiKey("azure-key-1"));
        await classic.ExpectAsync("session.created");
        await classic.SendAsync(new { type = "session.update", session = new { type = "realtime", reasoning = new { effort = "high" } } });
        var error = (await classic.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("unsupported_parameter", error.Str("code"));
        Assert.Equal("session.reasoning", error.Str("param"));
    }

    [Fact]
    public async Task Client_secrets_minted_on_the_Azure_path_open_Azure_sessions_only()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        http.DefaultRequestHeaders.Add("api-key", "azure-key-1");
        var minted = await http.PostAsJsonAsync("/openai/v1/realtime/client_secrets", new
        {
            expires_after = new { anchor = "created_at", seconds = 120 },
            session = new { type = "realtime", model = "voice-prod", instructions = "Be brief." },
        });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var body = await minted.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.Str("value");
        Assert.StartsWith("ek_", secret);
        Assert.Equal("Be brief.", body.GetProperty("session").Str("instructions"));

        await using (var client = await RealtimeTestClient.ConnectAsync(_host.AzureUri("voice-prod"), secret))
        {
            var session = (await client.ExpectAsync("session.created")).GetProperty("session");
            Assert.Equal("Be brief.", session.Str("instructions"));
        }

        var elsewhere = await UpgradeRequest.SendAsync(_host.RealtimeUri(), ("Authorization", $"Bearer {secret}"));
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.Status);
    }

    [Fact]
    public async Task The_session_is_capped_at_30_minutes_on_the_emulator_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await EmulatorHost.StartAsync(time);
        await using var client = await RealtimeTestClient.ConnectAsync(host.AzureUri("gpt-realtime"), "", ApiKey("k"));
        var session = (await client.ExpectAsync("session.created")).GetProperty("session");
        Assert.Equal(time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds(), session.GetProperty("expires_at").GetInt64());

        time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type()); // still open a second before the cap

        time.Advance(TimeSpan.FromSeconds(1));
        var (status, reason, events) = await client.WaitForCloseAsync();
        var error = Assert.Single(events).GetProperty("error");
        Assert.Equal("session_expired", error.Str("code"));
        Assert.Equal("Your session hit the maximum duration of 30 minutes.", error.Str("message"));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("Your session hit the maximum duration of 30 minutes.", reason);
    }

    [Fact]
    public async Task The_OpenAI_path_keeps_its_60_minute_cap()
    {
        var time = new FakeTimeProvider();
        await using var host = await EmulatorHost.StartAsync(time);
        await using var client = await RealtimeTestClient.ConnectAsync(host);
        var session = (await client.ExpectAsync("session.created")).GetProperty("session");
        Assert.Equal(time.GetUtcNow().AddMinutes(60).ToUnixTimeSeconds(), session.GetProperty("expires_at").GetInt64());
    }
}
