using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace VoicePlatform.Router.WarmUp;

/// <summary>
/// A loopback WebSocket server that plays the providers' side for the warm-up: <c>ws://127.0.0.1:port/{provider}/…</c>
/// goes to that provider's <see cref="IProviderWarmUp.ServeAsync"/>. Built from an empty host so nothing of the
/// Router's own configuration (its URLs, its endpoints) applies to it; it exists only while the warm-up runs.
/// </summary>
internal sealed class WarmUpProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WarmUpProviderServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary><c>ws://127.0.0.1:port/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where a provider's connector must point to reach its script.</summary>
    public Uri BaseUrlFor(IProviderWarmUp provider) => new(BaseUrl, provider.Provider);

    public static async Task<WarmUpProviderServer> StartAsync(IReadOnlyCollection<IProviderWarmUp> providers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        var byPath = providers.ToDictionary(p => "/" + p.Provider, StringComparer.OrdinalIgnoreCase);
        app.Run(async http =>
        {
            var path = http.Request.Path.Value ?? "";
            var segment = path.IndexOf('/', 1) is var end and > 0 ? path[..end] : path;
            if (!http.WebSockets.IsWebSocketRequest || !byPath.TryGetValue(segment, out var provider))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await provider.ServeAsync(socket, http.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new WarmUpProviderServer(app, new Uri($"ws://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections still open are cut when the app is disposed below.
        }
        await _app.DisposeAsync();
    }
}
