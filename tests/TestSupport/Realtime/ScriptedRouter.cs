using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.TestSupport.Realtime;

/// <summary>
/// A stand-in Router on a loopback port, for Gateway tests of the Gateway↔Router session stream. The first
/// <c>silentStreams</c> streams are taken and never answered (no headers, no frames: a hung instance); later ones
/// answer the start with <c>session.created</c> and acknowledge every client frame until the Gateway ends the stream.
/// </summary>
public sealed class ScriptedRouter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _silentStreams;
    private int _streams;
    private int _silentStreamsCancelled;

    private ScriptedRouter(WebApplication app, int silentStreams)
    {
        _app = app;
        _silentStreams = silentStreams;
    }

    /// <summary>The address to give the Gateway as <c>services:router:grpc:0</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Session streams the Gateway opened.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>Unanswered streams the Gateway gave up on (cancelled).</summary>
    public int SilentStreamsCancelled => Volatile.Read(ref _silentStreamsCancelled);

    public static async Task<ScriptedRouter> StartAsync(int silentStreams)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ScriptedRouterHolder>();
        var app = builder.Build();
        app.MapGrpcService<Service>();
        var router = new ScriptedRouter(app, silentStreams);
        app.Services.GetRequiredService<ScriptedRouterHolder>().Router = router;
        await app.StartAsync();
        router.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return router;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
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
            if (Interlocked.Increment(ref router._streams) <= router._silentStreams)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref router._silentStreamsCancelled);
                }
                return;
            }

            await context.WriteResponseHeadersAsync([]);
            if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.FrameCase != SessionClientFrame.FrameOneofCase.Start)
                throw new RpcException(new Status(StatusCode.InvalidArgument, "The first frame of a session must be 'start'."));
            var start = requestStream.Current.Start;
            var created = $$$"""{"type":"session.created","event_id":"event_scripted_1","session":{"object":"realtime.session","type":"realtime","id":"{{{start.SessionId}}}","model":"{{{start.Model}}}"}}""";
            await responseStream.WriteAsync(new SessionServerFrame { ServerEvent = new ServerEvent { Json = ByteString.CopyFromUtf8(created) } });
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                var seq = requestStream.Current.Seq;
                await responseStream.WriteAsync(new SessionServerFrame { Ack = new Ack { Seq = seq, Handed = seq } });
            }
        }
    }
}
