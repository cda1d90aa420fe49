using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

/// <summary>Runs the emulator in-process on a real loopback port (Kestrel picks a free one).</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri httpBase)
    {
        _app = app;
        HttpBase = httpBase;
        WsBase = new UriBuilder(httpBase) { Scheme = "ws" }.Uri;
    }

    public Uri HttpBase { get; }
    public Uri WsBase { get; }

    /// <summary>Settings are "Name=Value" pairs under GeminiEmulator:, e.g. "ConnectionLifetime=00:00:03".</summary>
    public static Task<EmulatorHost> StartAsync(params string[] settings) => StartAsync(null, settings);

    /// <param name="time">The emulator's clock (a FakeTimeProvider for reply-delay tests); null keeps the system clock.</param>
    public static async Task<EmulatorHost> StartAsync(TimeProvider? time, params string[] settings)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--ShutdownTimeoutSeconds=2",
            // Tests do not wait for assumed playback unless they ask for it.
            "--GeminiEmulator:Output:TurnCompleteAfterPlayback=false",
            "--GeminiEmulator:Output:GenerationSpeed=0",
        };
        args.AddRange(settings.Select(s => "--GeminiEmulator:" + s));
        var app = GeminiLiveEmulatorApp.Build([.. args], services =>
        {
            if (time is not null) services.AddSingleton(time);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(app, new Uri(address));
    }

    public Task<LiveClient> ConnectAsync(string? key = "test-key", string? path = null, IDictionary<string, string>? headers = null) =>
        LiveClient.ConnectAsync(WsBase, path ?? LiveClient.DefaultPath, key, headers);

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
