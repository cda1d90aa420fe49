using VoicePlatform.TestSupport.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

/// <summary>The emulator started in-process on a real loopback port (port 0: the OS picks a free one).</summary>
public sealed class EmulatorHost : IRealtimeServer, IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri RealtimeUri(string model = "gpt-realtime") =>
        new($"ws://{BaseAddress.Authority}/v1/realtime?model={Uri.EscapeDataString(model)}");

    /// <summary>The Azure variant: <c>/openai/v1/realtime?model=&lt;deployment&gt;</c> (no model query when null).</summary>
    public Uri AzureUri(string? deployment) =>
        new($"ws://{BaseAddress.Authority}/openai/v1/realtime" + (deployment is null ? "" : $"?model={Uri.EscapeDataString(deployment)}"));

    /// <summary>The xAI variant: <c>/xai/v1/realtime</c>, the model optional as on api.x.ai.</summary>
    public Uri XaiUri(string? model = null) =>
        new($"ws://{BaseAddress.Authority}/xai/v1/realtime" + (model is null ? "" : $"?model={Uri.EscapeDataString(model)}"));

    /// <param name="settings">Configuration overrides, e.g. ("OpenAIEmulator:SessionMaxDuration", "00:00:02").</param>
    public static Task<EmulatorHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <param name="time">The emulator's clock (a FakeTimeProvider for reply-delay tests); null keeps the system clock.</param>
    public static async Task<EmulatorHost> StartAsync(TimeProvider? time, params (string Key, string Value)[] settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning" };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var app = OpenAIRealtimeEmulatorApp.Build([.. args], services =>
        {
            if (time is not null) services.AddSingleton(time);
        });
        await app.StartAsync();
        var address = app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        return new EmulatorHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>One default-configured emulator shared by a test class.</summary>
public sealed class DefaultEmulator : IAsyncLifetime
{
    public EmulatorHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await EmulatorHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
