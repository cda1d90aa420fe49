using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace VoicePlatform.TestSupport;

/// <summary>
/// Runs a provider emulator in-process on a real loopback port, for tests of code that connects to a provider
/// (connectors, the Gateway). Usage: <c>await EmulatorHost.StartAsync(GeminiLiveEmulatorApp.Build, "GeminiEmulator:X=Y")</c>.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
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

    /// <summary><paramref name="settings"/> are configuration "Key=Value" pairs, e.g. "OpenAIEmulator:SessionMaxDuration=00:00:05".</summary>
    public static async Task<EmulatorHost> StartAsync(Func<string[], WebApplication> build, params string[] settings)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--ShutdownTimeoutSeconds=2",
        };
        args.AddRange(settings.Select(s => "--" + s));
        var app = build([.. args]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(app, new Uri(address));
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
