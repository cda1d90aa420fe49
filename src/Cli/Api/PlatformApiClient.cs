using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Configuration;

namespace VoicePlatform.Cli.Api;

/// <summary>
/// The gateway's REST API, authenticated with the tenant key (or the operator key for <c>/v1/admin</c>). Every failure
/// becomes a <see cref="CliException"/> with the server's own message and an exit code from <see cref="ExitCodes"/>.
/// </summary>
public sealed class PlatformApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string? _bearer;

    public PlatformApiClient(ConnectionSettings settings, string? bearer)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (DevCertificateTrust.For(settings) is { } validate)
            handler.SslOptions.RemoteCertificateValidationCallback = validate;
        _http = new HttpClient(handler) { BaseAddress = new Uri(settings.GatewayUrl.AbsoluteUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        _bearer = bearer;
    }

    public static PlatformApiClient ForTenant(ConnectionSettings settings) =>
        new(settings, settings.ApiKey ?? throw new CliException(ExitCodes.AuthenticationFailed,
            $"No API key: pass --api-key, set {ConnectionSettingsResolver.ApiKeyVariable}, or run inside a checkout with .apphost/endpoints.json."));

    public static PlatformApiClient ForOperator(ConnectionSettings settings) =>
        new(settings, settings.OperatorKey ?? throw new CliException(ExitCodes.AuthenticationFailed,
            $"No operator key: pass --operator-key, set {ConnectionSettingsResolver.OperatorKeyVariable}, or run inside a checkout with .apphost/endpoints.json."));

    /// <summary>Sends a request and returns the successful answer's body as text.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? accept = null, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(method, path, body, accept, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    public async Task<JsonNode> GetJsonAsync(string path, CancellationToken ct = default) =>
        JsonNode.Parse(await SendAsync(HttpMethod.Get, path, ct: ct)) ?? new JsonObject();

    /// <summary>Sends a request; the caller owns (and disposes) the successful response, e.g. to stream its body.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, JsonNode? body = null, string? accept = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (_bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearer);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw CannotConnect(_http.BaseAddress!, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.CannotConnect, $"No answer from {_http.BaseAddress} within {_http.Timeout.TotalSeconds:0} s.", e);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw ServerError.FromHttp(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
    }

    public static CliException CannotConnect(Uri target, Exception e)
    {
        var reason = e.InnerException switch
        {
            SocketException s => s.Message,
            AuthenticationException a => $"TLS: {a.Message}",
            { } inner => inner.Message,
            null => e.Message,
        };
        return new CliException(ExitCodes.CannotConnect, $"Cannot connect to {target}: {reason}", e);
    }

    public void Dispose() => _http.Dispose();
}
