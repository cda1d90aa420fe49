using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;
using VoicePlatform.TestSupport.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Vertex;

/// <summary>The LlmBidiService paths and their credentials: bearer tokens from /token, express-mode keys, HTTP 401 otherwise.</summary>
public sealed class VertexRouteTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent")]
    [InlineData("/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent")]
    [InlineData("//ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent")]
    [InlineData("/vertex/ws/google.cloud.aiplatform.v1beta1.LlmBidiService//BidiGenerateContent")]
    [InlineData("/gem//ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent")]
    public async Task Every_path_form_opens_with_a_bearer_token(string path)
    {
        using var account = ServiceAccount.Create();
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time);
        var token = await VertexWire.MintAsync(host, account, Start);

        await using var client = await host.ConnectAsync(key: null, path: path, headers: VertexWire.Bearer(token));
        await client.SetupAsync(VertexWire.Setup());
        await client.SendTextAsync("hello");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.NotEmpty(Wire.AudioParts(frames));
    }

    [Fact]
    public async Task An_unserved_version_opens_and_closes_1008_after_setup()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync(key: null, path: "/ws/google.cloud.aiplatform.v1alpha.LlmBidiService/BidiGenerateContent",
            headers: new Dictionary<string, string> { ["x-goog-api-key"] = "express-key" });
        await client.SendSetupAsync(VertexWire.Setup());
        await client.WaitForCloseAsync();
        Assert.Equal(1008, client.CloseCode);
    }

    [Fact]
    public async Task Ephemeral_tokens_are_not_served_on_Vertex()
    {
        await using var host = await EmulatorHost.StartAsync();
        var (status, _, _) = await VertexWire.RefusedUpgradeAsync(host, "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContentConstrained",
            new Dictionary<string, string> { ["x-goog-api-key"] = "express-key" });
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task An_expired_bearer_token_is_refused_with_401_at_the_upgrade()
    {
        using var account = ServiceAccount.Create();
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time);
        var token = await VertexWire.MintAsync(host, account, Start);

        time.Advance(TimeSpan.FromSeconds(3598));
        await using (var justInTime = await host.ConnectAsync(key: null, path: VertexWire.Path, headers: VertexWire.Bearer(token)))
        {
            await justInTime.SetupAsync(VertexWire.Setup());
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var (status, body, response) = await VertexWire.RefusedUpgradeAsync(host, VertexWire.Path, VertexWire.Bearer(token));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("status").GetString());
        Assert.StartsWith("Request had invalid authentication credentials.", error.GetProperty("message").GetString());
        Assert.Equal("ACCESS_TOKEN_EXPIRED", error.GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Unknown_bearer_and_missing_credentials_are_refused_with_401()
    {
        await using var host = await EmulatorHost.StartAsync();

        var (unknown, body, _) = await VertexWire.RefusedUpgradeAsync(host, VertexWire.Path, VertexWire.Bearer("ya29.made-up"));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
        Assert.Equal("UNAUTHENTICATED", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("status").GetString());

        // An empty ApiKeys list accepts any key on the Developer API, but Vertex still wants some credential.
        var (missing, _, _) = await VertexWire.RefusedUpgradeAsync(host, VertexWire.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, missing);

        // ClientWebSocket sees the same refusal.
        var (socket, failure) = await LiveClient.TryConnectAsync(host.WsBase, VertexWire.Path);
        using (socket)
        {
            Assert.NotNull(failure);
            Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }
    }

    [Fact]
    public async Task Express_mode_takes_an_api_key_and_refuses_a_wrong_one()
    {
        await using var host = await EmulatorHost.StartAsync("ApiKeys:0=express-key");

        await using var client = await host.ConnectAsync(key: null, path: VertexWire.Path,
            headers: new Dictionary<string, string> { ["x-goog-api-key"] = "express-key" });
        await client.SetupAsync($$"""{"model":"publishers/google/models/{{VertexWire.NativeAudio25}}"}""");

        var (status, _, _) = await VertexWire.RefusedUpgradeAsync(host, VertexWire.Path, new Dictionary<string, string> { ["x-goog-api-key"] = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task The_Developer_API_path_is_served_under_a_prefix_too()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync(path: "/gem//ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent");
        await client.SetupAsync();
    }
}
