using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class EphemeralTokenTests
{
    private const string Constrained = "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained";

    [Fact]
    public async Task A_minted_token_opens_one_new_session_and_still_allows_resumption()
    {
        await using var host = await EmulatorHost.StartAsync("ApiKeys:0=server-key");
        using var http = new HttpClient { BaseAddress = host.HttpBase };
        http.DefaultRequestHeaders.Add("x-goog-api-key", "server-key");
        var response = await http.PostAsJsonAsync("/v1alpha/auth_tokens", new
        {
            uses = 1,
            bidiGenerateContentSetup = new { model = Wire.NativeAudioModel, sessionResumption = new { } },
        });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString()!;
        Assert.StartsWith("auth_tokens/", token);

        // The token's setup is locked: the client's model is overridden.
        await using var first = await host.ConnectAsync(key: null, path: Constrained + "?access_token=" + Uri.EscapeDataString(token));
        await first.SetupAsync("""{"model":"models/something-else"}""");
        var handle = Wire.Handle((await first.WaitForAsync(Wire.IsResumable)).Json)!;

        await using var second = await host.ConnectAsync(key: null, path: Constrained, headers: new Dictionary<string, string> { ["Authorization"] = "Token " + token });
        await second.SendSetupAsync();
        await second.WaitForCloseAsync();
        Assert.Equal(1008, second.CloseCode);

        await first.CloseAsync();
        await using var resumed = await host.ConnectAsync(key: null, path: Constrained + "?access_token=" + Uri.EscapeDataString(token));
        await resumed.SetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","sessionResumption":{"handle":"{{{handle}}}"}}""");
    }

    [Fact]
    public async Task Unknown_token_and_bad_minting_key_are_rejected()
    {
        await using var host = await EmulatorHost.StartAsync("ApiKeys:0=server-key");
        using var http = new HttpClient { BaseAddress = host.HttpBase };
        var refused = await http.PostAsJsonAsync("/v1alpha/auth_tokens?key=wrong", new { uses = 1 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);

        await using var client = await host.ConnectAsync(key: null, path: Constrained + "?access_token=auth_tokens/nope");
        await client.SendSetupAsync();
        await client.WaitForCloseAsync();
        Assert.Equal(1008, client.CloseCode);
    }
}
