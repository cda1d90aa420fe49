using VoicePlatform.TestSupport.Realtime;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class ClientSecretsTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    private HttpClient Http(string key = "sk-test")
    {
        var http = new HttpClient { BaseAddress = emulator.Host.BaseAddress };
        http.DefaultRequestHeaders.Add("Authorization", $"Bearer {key}");
        return http;
    }

    [Fact]
    public async Task Minted_ephemeral_key_opens_a_preconfigured_session()
    {
        using var http = Http();
        var response = await http.PostAsJsonAsync("/v1/realtime/client_secrets", new
        {
            expires_after = new { anchor = "created_at", seconds = 120 },
            session = new { type = "realtime", model = "gpt-realtime", audio = new { output = new { voice = "marin" } } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var value = body.Str("value");
        Assert.StartsWith("ek_", value);
        Assert.InRange(body.GetProperty("expires_at").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 100, 121);
        Assert.Equal("marin", body.GetProperty("session").GetProperty("audio").GetProperty("output").Str("voice"));

        await using var client = await RealtimeTestClient.ConnectAsync(emulator.Host, key: value);
        var session = (await client.ExpectAsync("session.created")).GetProperty("session");
        Assert.Equal("marin", session.GetProperty("audio").GetProperty("output").Str("voice"));
    }

    [Fact]
    public async Task Invalid_requests_are_rejected()
    {
        using var http = Http();
        var tooLong = await http.PostAsJsonAsync("/v1/realtime/client_secrets", new { expires_after = new { anchor = "created_at", seconds = 9000 } });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var error = (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("integer_above_max_value", error.Str("code"));
        Assert.Equal("expires_after.seconds", error.Str("param"));

        using var anonymous = new HttpClient { BaseAddress = emulator.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/v1/realtime/client_secrets", new { })).StatusCode);

        // An ephemeral key cannot mint further keys, and an unknown ek_ cannot open a session.
        using var withEk = Http("ek_made_up_value_123");
        Assert.Equal(HttpStatusCode.Unauthorized, (await withEk.PostAsJsonAsync("/v1/realtime/client_secrets", new { })).StatusCode);
    }
}
