using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VoicePlatform.TestSupport.Realtime;

/// <summary>
/// A WebSocket handshake made by hand over HTTP/1.1, to read a refusal's status, headers and body (a WebSocket client
/// only reports the status). Use it where a refusal is expected: an admitted attempt (101) is dropped at once.
/// </summary>
public sealed record HandshakeAttempt(HttpStatusCode Status, JsonElement Body, TimeSpan? RetryAfter)
{
    public string Code => Body.GetProperty("error").GetProperty("code").GetString()!;
    public string Type => Body.GetProperty("error").GetProperty("type").GetString()!;
    public string Message => Body.GetProperty("error").GetProperty("message").GetString()!;

    /// <param name="uri">The http:// form of the realtime URL, query included.</param>
    public static async Task<HandshakeAttempt> SendAsync(string uri, string apiKey)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.SwitchingProtocols) return new HandshakeAttempt(response.StatusCode, default, null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return new HandshakeAttempt(response.StatusCode, body, response.Headers.RetryAfter?.Delta);
    }
}
