using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Contracts.SessionSockets;

namespace VoicePlatform.TestSupport.Realtime;

/// <summary>
/// A stand-in Router on a loopback port, for Gateway tests of the Gateway↔Router session stream. The first
/// <c>silentStreams</c> streams are taken and never answered (no headers, no frames: a hung instance); later ones
/// answer the start with <c>session.created</c> and acknowledge every client frame until the Gateway ends the stream.
/// It serves both session transports: gRPC on <see cref="Address"/> and the session WebSocket on
/// <see cref="SocketAddress"/> (a silent WebSocket stream is an upgrade that is never answered).
/// </summary>
public sealed class ScriptedRouter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _silentStreams;
    private int _streams;
    private int _socketStreams;
    private int _silentStreamsCancelled;

    private ScriptedRouter(WebApplication app, int silentStreams)
    {
        _app = app;
        _silentStreams = silentStreams;
    }

    /// <summary>The address to give the Gateway as <c>services:router:grpc:0</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The address to give the Gateway as <c>services:router:http:0</c> (the session WebSocket).</summary>
    public string SocketAddress { get; private set; } = "";

    /// <summary>Session streams the Gateway opened.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>Of <see cref="Streams"/>, those that came as a session WebSocket.</summary>
    public int SocketStreams => Volatile.Read(ref _socketStreams);

    /// <summary>Unanswered streams the Gateway gave up on (cancelled).</summary>
    public int SilentStreamsCancelled => Volatile.Read(ref _silentStreamsCancelled);

    public static async Task<ScriptedRouter> StartAsync(int silentStreams)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ScriptedRouterHolder>();
        var app = builder.Build();
        app.MapGrpcService<Service>();
        var router = new ScriptedRouter(app, silentStreams);
        app.UseWebSockets();
        app.Map(SessionSocket.Path, router.ServeSocketAsync);
        app.Services.GetRequiredService<ScriptedRouterHolder>().Router = router;
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        (router.Address, router.SocketAddress) = (addresses[0], addresses[1]);
        return router;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeSocketAsync(HttpContext context)
    {
        Interlocked.Increment(ref _socketStreams);
        if (await IsSilentAsync(context.RequestAborted)) return;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(SessionSocket.SubProtocol);
        var outcome = Status.DefaultSuccess;
        try
        {
            await AnswerAsync(new SocketMessageReader<SessionClientFrame>(socket, SessionClientFrame.Parser, 1 << 20),
                new SocketMessageWriter<SessionServerFrame>(socket), context.RequestAborted);
        }
        catch (RpcException e)
        {
            outcome = e.Status;
        }
        var (status, reason) = SessionSocket.CloseFor(outcome);
        await socket.CloseOutputAsync(status, reason, CancellationToken.None);
    }

    /// <summary>The first <c>silentStreams</c> streams are held unanswered until the Gateway gives up on them.</summary>
    private async Task<bool> IsSilentAsync(CancellationToken streamAborted)
    {
        if (Interlocked.Increment(ref _streams) > _silentStreams) return false;
        try
        {
            await Task.Delay(Timeout.Infinite, streamAborted);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _silentStreamsCancelled);
        }
        return true;
    }

    private static async Task AnswerAsync(IAsyncStreamReader<SessionClientFrame> requestStream, IAsyncStreamWriter<SessionServerFrame> responseStream,
        CancellationToken cancellationToken)
    {
        if (!await requestStream.MoveNext(cancellationToken) || requestStream.Current.FrameCase != SessionClientFrame.FrameOneofCase.Start)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first frame of a session must be 'start'."));
        var start = requestStream.Current.Start;
        var created = $$$"""{"type":"session.created","event_id":"event_scripted_1","session":{"object":"realtime.session","type":"realtime","id":"{{{start.SessionId}}}","model":"{{{start.Model}}}"}}""";
        await responseStream.WriteAsync(new SessionServerFrame { ServerEvent = new ServerEvent { Json = ByteString.CopyFromUtf8(created) } });
        while (await requestStream.MoveNext(cancellationToken))
        {
            var seq = requestStream.Current.Seq;
            await responseStream.WriteAsync(new SessionServerFrame { Ack = new Ack { Seq = seq, Handed = seq } });
        }
    }

    private sealed class ScriptedRouterHolder
    {
        public ScriptedRouter? Router { get; set; }
    }

    private sealed class Service(ScriptedRouterHolder holder) : RealtimeRouter.RealtimeRouterBase
    {
        public override async Task RunSession(IAsyncStreamReader<SessionClientFrame> requestStream, IServerStreamWriter<SessionServerFrame> responseStream,
            ServerCallContext context)
        {
            var router = holder.Router!;
            if (await router.IsSilentAsync(context.CancellationToken)) return;
            await context.WriteResponseHeadersAsync([]);
            await AnswerAsync(requestStream, responseStream, context.CancellationToken);
        }
    }
}
