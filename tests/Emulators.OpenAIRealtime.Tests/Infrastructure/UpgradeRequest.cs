using System.Net;
using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

/// <summary>
/// A WebSocket upgrade request made by hand, with any credential headers, to read a refusal's status and JSON body
/// (a WebSocket client only reports the status). An accepted upgrade (101) has no body.
/// </summary>
public sealed record UpgradeRequest(HttpStatusCode Status, JsonElement Body)
{
    public static async Task<UpgradeRequest> SendAsync(Uri webSocketUri, params (string Name, string Value)[] headers)
    {
        var uri = new UriBuilder(webSocketUri) { Scheme = "http" }.Uri;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
        {
            return new UpgradeRequest(response.StatusCode, default);
        }
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return new UpgradeRequest(response.StatusCode, body);
    }
}
