using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.TestSupport.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

/// <summary>The Vertex surface from a client's side: its paths, model names, token requests and refused upgrades.</summary>
internal static class VertexWire
{
    public const string Path = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent";
    public const string NativeAudio25 = "gemini-live-2.5-flash-native-audio";
    public const string Live38 = "gemini-3.8-live";

    public static string Model(string id = NativeAudio25) => $"projects/emulator-project/locations/us-central1/publishers/google/models/{id}";

    public static string Setup(string id = NativeAudio25, string extra = "") =>
        $$"""{"model":"{{Model(id)}}","generationConfig":{"responseModalities":["AUDIO"]}{{extra}}}""";

    public static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    /// <summary>POST /token with the service-account grant, as Google's libraries send it.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> RequestTokenAsync(EmulatorHost host, string assertion, string grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer")
    {
        using var http = new HttpClient { BaseAddress = host.HttpBase };
        using var response = await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["assertion"] = assertion,
        }));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>A minted access token (hand-built JWT, any signature accepted unless key files are configured).</summary>
    public static async Task<string> MintAsync(EmulatorHost host, ServiceAccount account, DateTimeOffset now)
    {
        var (status, body) = await RequestTokenAsync(host, account.SignJwt(account.Claims(now)));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A WebSocket upgrade the server refuses: its HTTP status and JSON body (HttpClient sends the same upgrade headers ClientWebSocket does).</summary>
    public static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> RefusedUpgradeAsync(
        EmulatorHost host, string path, IDictionary<string, string>? headers = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.HttpBase.GetLeftPart(UriPartial.Authority) + path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }
}
