using VoicePlatform.Contracts.Realtime;
using System.Diagnostics;
using Grpc.Core;
using VoicePlatform.Contracts.Router;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Instances;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Runs one session stream: resolves the model, opens the provider session through its connector, then relays
/// canonical client frames to it until the Gateway or the provider ends the session.
/// </summary>
public sealed class SessionRelay(
    ModelDirectory catalog,
    IEnumerable<IProviderConnector> connectors,
    RouterInstance instance,
    SessionMetrics metrics,
    ILogger<SessionRelay> logger)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, IProviderConnector> _connectors =
        connectors.ToDictionary(c => c.Provider, StringComparer.OrdinalIgnoreCase);

    public async Task RunAsync(IAsyncStreamReader<SessionClientFrame> requests, IServerStreamWriter<SessionServerFrame> responses,
        CancellationToken callCancelled)
    {
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        startTimeout.CancelAfter(StartTimeout);
        if (!await requests.MoveNext(startTimeout.Token) || requests.Current.FrameCase != SessionClientFrame.FrameOneofCase.Start)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first frame of a session must be 'start'."));

        var start = requests.Current.Start;
        var sink = new GrpcSessionSink(responses, callCancelled);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = start.SessionId, ["TenantId"] = start.TenantId });

        if (!catalog.TryResolve(start.Model, out var model) || !_connectors.TryGetValue(model.Provider, out var connector))
        {
            await sink.EventAsync(new RealtimeErrorEvent(RealtimeErrorEvent.InvalidRequest, "model_not_found",
                $"The model '{start.Model}' does not exist or you do not have access to it.", "model").ToJson(), callCancelled);
            await sink.EndAsync(1008, "model_not_found", callCancelled);
            await sink.FlushAndCompleteAsync();
            return;
        }

        instance.SessionStarted();
        metrics.SessionStarted(model.Provider);
        var started = Stopwatch.GetTimestamp();
        var endReason = "client_closed";
        try
        {
            IProviderSession session;
            try
            {
                session = await connector.ConnectAsync(new ProviderSessionContext(start.SessionId, start.TenantId, start.Model, model), sink, callCancelled);
            }
            catch (ProviderConnectException refused)
            {
                logger.LogWarning("Provider {Provider} refused session for model {Model}: {Code} {Message}", model.Provider, model.UpstreamModel, refused.Code, refused.Message);
                endReason = "provider_refused";
                await sink.EventAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, refused.Code, refused.Message).ToJson(), callCancelled);
                await sink.EndAsync(1011, refused.Code, callCancelled);
                return;
            }

            logger.LogInformation("Session started on {Provider} model {Model}", model.Provider, model.UpstreamModel);
            await using (session)
            {
                var relay = RelayClientFramesAsync(requests, session, callCancelled);
                var finished = await Task.WhenAny(relay, session.Completion);
                if (finished == session.Completion)
                {
                    endReason = "provider_closed";
                }
                else
                {
                    await relay; // surface client-side stream failures
                }
            }
        }
        catch (Exception e) when (callCancelled.IsCancellationRequested && e is OperationCanceledException or IOException or RpcException)
        {
            endReason = "gateway_gone";
        }
        finally
        {
            await sink.FlushAndCompleteAsync();
            instance.SessionEnded();
            metrics.SessionEnded(model.Provider, endReason, Stopwatch.GetElapsedTime(started));
            logger.LogInformation("Session ended ({Reason}) after {Duration}", endReason, Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task RelayClientFramesAsync(IAsyncStreamReader<SessionClientFrame> requests, IProviderSession session, CancellationToken cancellationToken)
    {
        while (await requests.MoveNext(cancellationToken))
        {
            var frame = requests.Current;
            switch (frame.FrameCase)
            {
                case SessionClientFrame.FrameOneofCase.InputAudio:
                    var audio = frame.InputAudio;
                    await session.SendAudioAsync(audio.Pcm16.Memory, audio.SampleRate, audio.EventId.Length == 0 ? null : audio.EventId, cancellationToken);
                    break;
                case SessionClientFrame.FrameOneofCase.ClientEvent:
                    await session.SendEventAsync(frame.ClientEvent.Json.Memory, cancellationToken);
                    break;
                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unexpected frame '{frame.FrameCase}' after start."));
            }
        }
    }
}
