using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// OpenAI Realtime GA. The canonical model is OpenAI's, so this connector is a faithful relay: client events go
/// upstream unchanged, server events come back unchanged, and only audio changes representation (raw PCM inside
/// the platform, base64 on OpenAI's wire).
/// </summary>
public sealed class OpenAIConnector(IOptionsMonitor<OpenAIProviderOptions> options, ILoggerFactory loggers) : IProviderConnector
{
    public string Provider => "openai";

    public async Task<IProviderSession> ConnectAsync(ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer " + settings.ApiKey);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        var uri = new Uri($"{settings.BaseUrl.TrimEnd('/')}/realtime?model={Uri.EscapeDataString(context.Model.UpstreamModel)}");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ProviderConnectException("invalid_api_key",
                    $"OpenAI rejected the platform's provider credentials (HTTP {(int)status}).", e),
                0 when e is OperationCanceledException => new ProviderConnectException("provider_unavailable",
                    $"OpenAI did not accept the connection within {settings.ConnectTimeout.TotalSeconds:0} s.", e),
                0 => new ProviderConnectException("provider_unavailable", $"Could not connect to OpenAI: {e.Message}", e),
                _ => new ProviderConnectException("provider_unavailable", $"OpenAI refused the connection (HTTP {(int)status}).", e),
            };
        }

        var session = new OpenAISession(socket, sink, settings.MaxMessageBytes, loggers.CreateLogger<OpenAISession>());
        try
        {
            await session.WaitForSessionCreatedAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && !cancellationToken.IsCancellationRequested)
        {
            await session.DisposeAsync();
            throw new ProviderConnectException("provider_unavailable", "OpenAI accepted the connection but never sent session.created.", e);
        }
        return session;
    }
}
