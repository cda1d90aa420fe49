using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using VoicePlatform.Audio;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.Gateway.Realtime.Failover;
using VoicePlatform.Gateway.Recordings;

namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// One synthetic session through the Gateway's per-session code, in the order a real session runs it: the client's
/// WebSocket (the framework's, over an in-memory connection) read by <see cref="ClientMessageReader"/>,
/// <see cref="ClientEventTranslator"/>, turn ids and the <see cref="TurnLedger"/>, the <see cref="ClientFrameBuffer"/>,
/// the Router stream's protobuf serialisation both ways, <see cref="ServerEventTranslator"/>, <see cref="ClientSocket"/>
/// and a recording tap writing to memory. The Router is <see cref="WarmUpRouterScript"/>; nothing leaves the process.
/// The loops mirror <see cref="ClientInputRelay"/> and the Router loop of <see cref="RealtimeClientSession"/>, which
/// are not run themselves: they also talk to Redis, the outbox and the metrics.
/// </summary>
internal sealed class WarmUpSession(int lane, GatewayWarmUpOptions settings, TimeProvider time)
{
    private readonly string _sessionId = $"sess_warmup_{lane}";
    private readonly AudioFormat _format = lane % 2 == 0 ? AudioFormat.Pcm16At24kHz : AudioFormat.Pcmu;
    private int _translated, _serialised, _audioSent, _eventsSent;

    public async Task<GatewayWarmUpResult> RunAsync(CancellationToken cancellationToken)
    {
        var (serverEnd, clientEnd) = LoopbackStream.CreatePair();
        using var serverSocket = WebSocket.CreateFromStream(serverEnd, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        using var clientSocket = WebSocket.CreateFromStream(clientEnd, new WebSocketCreationOptions { KeepAliveInterval = TimeSpan.Zero });
        var client = new ClientSocket(serverSocket, time, NullLogger.Instance, _sessionId);
        var formats = new ClientAudioFormats();
        var frames = new ClientFrameBuffer(new RealtimeOptions().ReattachBufferBytes, time);
        var turns = new TurnLedger();
        await using var recording = new SessionRecordingTap(new SessionRecordingSwitch(tenantDefault: true), new InMemoryRecordingStore(), null,
            Guid.Empty, _sessionId, null, time.GetTimestamp(), TimeSpan.FromSeconds(1), NullLogger.Instance, time);
        var scripted = new WarmUpClient(clientSocket, _format, settings, time);

        var clientRun = scripted.RunAsync(cancellationToken);
        var relay = RelayAsync(client, formats, frames, turns, recording, cancellationToken);
        try
        {
            await ReadClientAsync(client, formats, frames, turns, recording, cancellationToken);
        }
        finally
        {
            frames.Complete();
        }
        await relay;
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
        await clientRun;
        var recorded = await recording.CompleteAsync(cancellationToken);
        return new GatewayWarmUpResult(1, _translated, _serialised, _audioSent, _eventsSent,
            scripted.AudioDeltasReceived, scripted.EventsReceived, scripted.AudioBytesReceived, recorded is null ? 0 : 1, recorded?.SizeBytes ?? 0);
    }

    /// <summary>As <see cref="ClientInputRelay"/>: client messages → frames in the buffer, fed to the recording tap.</summary>
    private async Task ReadClientAsync(ClientSocket client, ClientAudioFormats formats, ClientFrameBuffer frames, TurnLedger turns,
        SessionRecordingTap recording, CancellationToken cancellationToken)
    {
        using var reader = new ClientMessageReader(client.Socket, new RealtimeOptions().MaxMessageBytes);
        var inbound = new ClientEventTranslator(formats, recording.Switch, SessionModel.Of(new ModelCatalog.CatalogModel { Id = "warm-up", Provider = "openai", UpstreamModel = "warm-up" }));
        while (true)
        {
            var message = await reader.ReadAsync(cancellationToken);
            if (message.Kind == ClientMessageKind.Closed) return;
            var translation = inbound.Translate(message.Payload);
            if (translation.Error is { } error)
                throw new InvalidOperationException($"the Gateway refused a warm-up message: {error.Code}: {error.Message}");
            _translated++;
            var frame = translation.Frame!;
            TurnIds.Assign(frame);
            if (!frames.TryAppend(frame, turns.Track)) throw new InvalidOperationException("the warm-up's frame buffer is full");
            if (frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio)
                recording.Caller(frame.InputAudio.Pcm16.Span, frame.InputAudio.SampleRate, recording.Now);
            else if (frame.FrameCase == SessionClientFrame.FrameOneofCase.ClientEvent)
                recording.ClientEvent(frame.ClientEvent.Json.Span);
        }
    }

    /// <summary>
    /// As the Router loop of <see cref="RealtimeClientSession"/>: buffered frames serialised for the Router stream, the
    /// Router's frames parsed from theirs and relayed to the client.
    /// </summary>
    private async Task RelayAsync(ClientSocket client, ClientAudioFormats formats, ClientFrameBuffer frames, TurnLedger turns,
        SessionRecordingTap recording, CancellationToken cancellationToken)
    {
        var outbound = new ServerEventTranslator(formats, _sessionId, recording.Switch);
        var wire = new ArrayBufferWriter<byte>(4096);
        await RelayServerFrameAsync(WarmUpRouterScript.SessionCreated(), wire, client, outbound, frames, turns, recording, cancellationToken);
        var next = frames.FirstUnacknowledged;
        while (await frames.NextAsync(next, cancellationToken) is { } frame)
        {
            next = frame.Seq + 1;
            wire.ResetWrittenCount();
            frame.CalculateSize();
            frame.WriteTo(wire); // as the gRPC marshaller writes it
            _serialised++;
            foreach (var answer in WarmUpRouterScript.Answer(SessionClientFrame.Parser.ParseFrom(wire.WrittenSpan)))
                await RelayServerFrameAsync(answer, wire, client, outbound, frames, turns, recording, cancellationToken);
        }
    }

    private async Task RelayServerFrameAsync(SessionServerFrame sent, ArrayBufferWriter<byte> wire, ClientSocket client, ServerEventTranslator outbound,
        ClientFrameBuffer frames, TurnLedger turns, SessionRecordingTap recording, CancellationToken cancellationToken)
    {
        wire.ResetWrittenCount();
        sent.WriteTo(wire);
        var frame = SessionServerFrame.Parser.ParseFrom(new ReadOnlySequence<byte>(wire.WrittenMemory)); // as the gRPC client reads it
        switch (frame.FrameCase)
        {
            case SessionServerFrame.FrameOneofCase.OutputAudio:
                await client.SendAsync(outbound.AudioDelta(frame.OutputAudio), cancellationToken);
                recording.Assistant(frame.OutputAudio.Pcm16.Span, frame.OutputAudio.SampleRate, frame.OutputAudio.ItemId, recording.Now);
                _audioSent++;
                break;
            case SessionServerFrame.FrameOneofCase.ServerEvent:
                var json = outbound.Event(frame.ServerEvent.Json.Memory, out var type);
                if (!turns.Observe(type, json.Span, frame.ServerEvent.AnswersSeq)) break;
                if (type == "response.created") _ = JsonNode.Parse(json.Span)?["response"]?["id"]?.GetValue<string>();
                else if (type == "session.created") _ = JsonNode.Parse(json.Span)?["routing"]?["model"];
                await client.SendAsync(json, cancellationToken);
                _eventsSent++;
                break;
            case SessionServerFrame.FrameOneofCase.Ack:
                frames.Acknowledge(frame.Ack.Seq);
                break;
        }
    }
}
