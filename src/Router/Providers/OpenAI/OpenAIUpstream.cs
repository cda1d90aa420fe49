using System.Net;
using System.Net.WebSockets;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// One WebSocket connection to OpenAI. An <see cref="OpenAISession"/> has one current upstream and, while it rolls
/// over, a second one being rebuilt; this class holds the socket and the per-connection bookkeeping (when it expires,
/// which replayed items and fence it still waits for).
/// </summary>
internal sealed class OpenAIUpstream
{
    private static int _numbers;

    private readonly TimeProvider _time;

    private OpenAIUpstream(ClientWebSocket socket, long connectStarted, TimeProvider time)
    {
        Socket = socket;
        ConnectStarted = connectStarted;
        _time = time;
    }

    public ClientWebSocket Socket { get; }

    /// <summary>For logs: the how-many-th connection of this process.</summary>
    public int Number { get; } = Interlocked.Increment(ref _numbers);

    /// <summary>Timestamp (of the session's <see cref="TimeProvider"/>) taken before the upgrade (the cap runs from the server's accept, a little later).</summary>
    public long ConnectStarted { get; }

    /// <summary>Timestamp (of the session's <see cref="TimeProvider"/>) at which the server will end this connection (set at session.created).</summary>
    public long Deadline { get; set; } = long.MaxValue;

    public TaskCompletionSource Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when this connection's reader stopped (closed, failed or cancelled).</summary>
    public TaskCompletionSource Gone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenSource Stop { get; } = new();

    public Task Reader { get; set; } = Task.CompletedTask;

    /// <summary>The server closed or dropped the connection.</summary>
    public volatile bool Closed;

    public int? CloseStatus;
    public string? CloseReason;

    /// <summary>The response.cancel a forced rollover sent (its error, if nothing was left to cancel, is swallowed).</summary>
    public string? CancelEventId;

    /// <summary>The server said the connection hit its cap (the error event, kept while a rollover decides its fate).</summary>
    public byte[]? ExpiredError;

    /// <summary>Rebuild bookkeeping: the replayed events awaiting an answer, and the echoes to swallow.</summary>
    public OpenAIReplayOperations Replay { get; } = new();

    /// <summary>The rollover fence in flight on this connection (an event whose error reply proves the server caught up).</summary>
    public string? FenceEventId;
    public TaskCompletionSource? Fence;

    public static async Task<OpenAIUpstream> ConnectAsync(OpenAIProviderOptions settings, string model, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var connectExpiry = new CancellationTokenSource(settings.ConnectTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectExpiry.Token);
        var bearer = settings.Auth == OpenAIProviderOptions.EntraAuth ? await EntraTokenAsync(settings, timeout.Token, cancellationToken) : settings.ApiKey;
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (settings.Auth == OpenAIProviderOptions.ApiKeyAuth)
            socket.Options.SetRequestHeader("api-key", settings.ApiKey); // Azure OpenAI
        else
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        var uri = new Uri($"{settings.BaseUrl.TrimEnd('/')}/realtime?model={Uri.EscapeDataString(model)}");
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
        catch
        {
            socket.Dispose();
            throw;
        }
        return new OpenAIUpstream(socket, started, time);
    }

    /// <summary>
    /// Entra: the instance's current token (cached, refreshed before it expires: a rollover gets a valid one), within the
    /// connect timeout.
    /// </summary>
    private static async Task<string> EntraTokenAsync(OpenAIProviderOptions settings, CancellationToken timeout, CancellationToken cancellationToken)
    {
        var tokens = settings.EntraTokens ?? throw new InvalidOperationException("Auth=entra without the connector's token cache.");
        try
        {
            return await tokens.GetAsync(timeout);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderConnectException("provider_unavailable",
                $"Microsoft Entra ID gave no token for Azure OpenAI within {settings.ConnectTimeout.TotalSeconds:0} s.", e);
        }
    }

    /// <summary>
    /// Sets <see cref="Deadline"/> from <c>session.expires_at</c> (unix seconds) and the configured cap, whichever is
    /// earlier: the server's clock may differ from ours, the configured cap may be out of date.
    /// </summary>
    public void SetDeadline(long? expiresAtUnixSeconds, TimeSpan configuredCap)
    {
        var deadline = ConnectStarted + (long)(configuredCap.TotalSeconds * _time.TimestampFrequency);
        if (expiresAtUnixSeconds is { } expiresAt)
        {
            var remaining = DateTimeOffset.FromUnixTimeSeconds(expiresAt) - _time.GetUtcNow();
            deadline = Math.Min(deadline, _time.GetTimestamp() + (long)(remaining.TotalSeconds * _time.TimestampFrequency));
        }
        Deadline = deadline;
    }

    /// <summary>Closes the connection (best effort) and waits for its reader to finish, then disposes it.</summary>
    public async Task CloseAsync(string reason)
    {
        if (Socket.State == WebSocketState.Open || Socket.State == WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Already gone; nothing to close.
            }
        }
        try
        {
            // Let the reader see the server's close frame; then stop it either way.
            await Reader.WaitAsync(TimeSpan.FromSeconds(2), _time);
        }
        catch (Exception)
        {
            // Timed out or the reader failed: cancelling below ends it.
        }
        await Stop.CancelAsync();
        try
        {
            await Reader;
        }
        catch (Exception)
        {
            // The reader reports its own failures.
        }
        Socket.Dispose();
        Stop.Dispose();
    }
}
