using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoicePlatform.TestSupport.Webhooks;

/// <summary>
/// A real HTTP server (Kestrel on a free 127.0.0.1 port) standing in for a tenant's webhook. Tests say per path how
/// to answer (<see cref="Handle"/>); every request is recorded (<see cref="Received"/>) after its body has been read,
/// including whether the client aborted it. Paths without a handler get 404.
/// </summary>
public sealed class LocalWebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, ReceivedWebhook, Task>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private LocalWebhookServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalWebhookServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        LocalWebhookServer? server = null;
        app.Run(context => server!.ServeAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LocalWebhookServer(app, new Uri(address));
        return server;
    }

    /// <summary>The absolute URL of <paramref name="path"/> (e.g. "/orders").</summary>
    public string Url(string path) => new Uri(BaseAddress, path).AbsoluteUri;

    /// <summary>Answers requests to <paramref name="path"/> with <paramref name="handler"/> (which may write a response or wait).</summary>
    public void Handle(string path, Func<HttpContext, ReceivedWebhook, Task> handler) => _handlers[path] = handler;

    /// <summary>Answers <paramref name="path"/> with a fixed JSON body.</summary>
    public void RespondJson(string path, string json, int status = 200) => Handle(path, async (context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    });

    public IReadOnlyList<ReceivedWebhook> Received(string path) => [.. _received.Where(r => r.Path == path)];

    private async Task ServeAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedWebhook(context.Request.Path, headers, body.ToArray());
        _received.Enqueue(received);
        using var _ = context.RequestAborted.Register(received.MarkAborted);
        if (!_handlers.TryGetValue(context.Request.Path, out var handler))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        try
        {
            await handler(context, received);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }
}
