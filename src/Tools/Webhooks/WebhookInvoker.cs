using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// Calls a tool's webhook: SSRF check, signed POST, the tool's timeout over the whole call (retries included),
/// retries when the tool is safe to retry, the tenant's circuit breaker for the endpoint, and a cap on the response size.
/// Cancelling <c>cancellationToken</c> aborts the HTTP request in flight.
/// </summary>
public sealed class WebhookInvoker(
    WebhookHttpClient client,
    WebhookTargetPolicy policy,
    WebhookResiliencePipelines pipelines,
    IOptions<WebhookOptions> options,
    TimeProvider clock)
{
    private readonly int _maxResponseBytes = options.Value.MaxResponseBytes;

    public async Task<WebhookCallResult> InvokeAsync(WebhookCall call, CancellationToken cancellationToken)
    {
        if (policy.FindProblem(call.Url) is { } problem)
            return WebhookCallResult.Refused(ToolOutcome.ForbiddenTarget, $"The webhook URL {problem}.");

        using var deadline = new CancellationTokenSource(call.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var attempts = 0;
        try
        {
            // Checked before the pipeline (the connection checks again) so that a refused target is an outcome of its
            // own: never retried, never counted against the endpoint's circuit.
            await policy.ResolvePermittedAsync(call.Url.IdnHost, linked.Token);

            var breaker = pipelines.CircuitBreakerFor(call.TenantId, call.Url);
            var retry = call.SafeToRetry ? pipelines.Retry : Polly.ResiliencePipeline<WebhookAttempt>.Empty;
            var attempt = await retry.ExecuteAsync(
                retryToken => breaker.ExecuteAsync(
                    attemptToken =>
                    {
                        attempts++;
                        return SendOnceAsync(call, deadline.Token, attemptToken);
                    },
                    retryToken),
                linked.Token);

            if (attempt.TooLarge)
                return new(ToolOutcome.ResponseTooLarge, attempt.Status, [], attempt.ResponseBytes, attempts, $"The webhook response is larger than {_maxResponseBytes} bytes.");
            if (!attempt.Succeeded)
                return new(ToolOutcome.WebhookError, attempt.Status, [], attempt.ResponseBytes, attempts, $"The webhook answered HTTP {attempt.Status}.");
            return new(ToolOutcome.Ok, attempt.Status, attempt.Body, attempt.ResponseBytes, attempts, null);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && cancellationToken.IsCancellationRequested)
        {
            return WebhookCallResult.Refused(ToolOutcome.Cancelled, "The call was cancelled.", attempts);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && deadline.IsCancellationRequested)
        {
            return WebhookCallResult.Refused(ToolOutcome.Timeout, $"The webhook did not answer within {call.Timeout.TotalSeconds:0.###} s.", attempts);
        }
        catch (BrokenCircuitException)
        {
            return WebhookCallResult.Refused(ToolOutcome.CircuitOpen, "The webhook endpoint is failing; calls to it are paused for a while.", attempts);
        }
        catch (Exception ex) when (WebhookResiliencePipelines.IsForbiddenTarget(ex))
        {
            return WebhookCallResult.Refused(ToolOutcome.ForbiddenTarget, $"The webhook target is not allowed: {Innermost(ex).Message}", attempts);
        }
        catch (SocketException ex)
        {
            return WebhookCallResult.Refused(ToolOutcome.WebhookError, $"The webhook host could not be resolved: {ex.Message}", attempts);
        }
        catch (HttpRequestException ex)
        {
            return WebhookCallResult.Refused(ToolOutcome.WebhookError, $"The webhook could not be reached: {Innermost(ex).Message}", attempts);
        }
    }

    private async ValueTask<WebhookAttempt> SendOnceAsync(WebhookCall call, CancellationToken deadline, CancellationToken cancellationToken)
    {
        // Signed per attempt, so a retry carries a fresh timestamp; receivers deduplicate by call id.
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Url)
        {
            Content = new ByteArrayContent(call.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(call.SigningSecret, timestamp, call.Body));
        request.Headers.Add(WebhookSignature.CallIdHeader, call.CallId);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            var announced = response.Content.Headers.ContentLength;
            if (announced > _maxResponseBytes) return new WebhookAttempt(status, [], announced.Value, TooLarge: true);

            // Read at most cap + 1 bytes: enough to know the body is too large without buffering all of it.
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[_maxResponseBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0) total += read;
            if (total > _maxResponseBytes) return new WebhookAttempt(status, [], total, TooLarge: true);
            return new WebhookAttempt(status, buffer[..total], total, TooLarge: false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // A timeout is a failure of the endpoint (counts against its circuit), not a cancellation by the caller.
            throw new TimeoutException("The webhook did not answer in time.");
        }
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
