using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Opens a session's Gemini connections: with a resumption handle when there is one, else (or when the handle is
/// refused) with a fresh setup; transient refusals are retried with backoff within
/// <see cref="GeminiProviderOptions.ResumeRetryWindow"/> when the caller asks for it.
/// </summary>
internal sealed class GeminiConnectionOpener(ProviderSessionContext context, GeminiProviderOptions options, GeminiEndpoint endpoint, ILogger logger)
{
    /// <summary>The Live API endpoint and its credentials.</summary>
    public GeminiEndpoint Endpoint => endpoint;

    private readonly string _model = endpoint.ModelPath(context.Model.UpstreamModel);

    /// <summary>
    /// Opens a connection for <paramref name="target"/>: with <paramref name="handle"/> if given (transient refusals —
    /// 1011 while the old socket is still open, network failures — retried with backoff within
    /// <see cref="GeminiProviderOptions.ResumeRetryWindow"/>), else or when the handle is refused, a fresh setup.
    /// Resumed is false when the caller has to rebuild the context. Throws <see cref="ProviderConnectException"/>
    /// when no connection can be had. <paramref name="historyFollows"/>: a fresh setup is followed by the rebuilt context
    /// (<see cref="GeminiSetupWriter.Write"/>'s initialHistory).
    /// </summary>
    public async Task<(GeminiConnection Connection, bool Resumed)> OpenAsync(
        RealtimeSessionConfig target, string? handle, int number, bool retryTransient, bool historyFollows, CancellationToken cancellationToken)
    {
        var to = GeminiSetupWriter.UsesAlphaFields(target, _model, options) ? endpoint.ForAlphaFields() : endpoint;
        if (handle is not null)
        {
            var setup = GeminiSetupWriter.Write(target, _model, handle, options);
            try
            {
                return (await OpenWithRetryAsync(to, setup, number, retryTransient, cancellationToken), true);
            }
            catch (ProviderConnectException ex) when (ex.Code != "invalid_api_key")
            {
                logger.LogWarning("Gemini session {SessionId}: resuming with the handle failed ({Message}); rebuilding the context from the conversation",
                    context.SessionId, ex.Message);
            }
        }

        var fresh = GeminiSetupWriter.Write(target, _model, resumptionHandle: null, options, initialHistory: historyFollows);
        return (await OpenWithRetryAsync(to, fresh, number, retryTransient, cancellationToken), false);
    }

    private async Task<GeminiConnection> OpenWithRetryAsync(GeminiEndpoint to, byte[] setup, int number, bool retryTransient, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        var attempt = 0;
        while (true)
        {
            try
            {
                return await GeminiConnection.OpenAsync(to, setup, options, number, logger, context.Time, cancellationToken);
            }
            catch (ProviderConnectException ex) when (retryTransient && IsTransient(ex)
                && context.Time.GetElapsedTime(started) + delay < options.ResumeRetryWindow)
            {
                attempt++;
                logger.LogInformation("Gemini session {SessionId}: connection #{Number} attempt {Attempt} refused ({Message}); retrying in {Delay} ms",
                    context.SessionId, number, attempt, ex.Message, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, context.Time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }

    /// <summary>Worth another try soon: 1011 (resume while the old socket is open, internal error) or no close at all (network, timeout).</summary>
    private static bool IsTransient(ProviderConnectException ex)
    {
        if (ex.Code == "invalid_api_key")
        {
            return false;
        }

        return UpstreamClosedException.CloseOf(ex) is not { } close || close.Code == 1011;
    }
}
