using VoicePlatform.Emulators.OpenAIRealtime.Auth;
using VoicePlatform.Emulators.OpenAIRealtime.Azure;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Recording;
using VoicePlatform.Emulators.OpenAIRealtime.Transport;
using VoicePlatform.Emulators.InputAudioRecording;
using VoicePlatform.ServiceDefaults;

namespace VoicePlatform.Emulators.OpenAIRealtime;

/// <summary>
/// The OpenAI Realtime GA emulator. <see cref="Build"/> is public so tests can host it in-process on a real port.
/// </summary>
public static class OpenAIRealtimeEmulatorApp
{
    public static void Main(string[] args) => Build(args).Run();

    public static WebApplication Build(string[] args) => Build(args, configureServices: null);

    /// <param name="configureServices">Test hook, applied last: e.g. a FakeTimeProvider in place of the system clock.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.Services.AddOpenAIEmulatorOptions(builder.Configuration);   // OpenAIEmulator:* settings
        builder.Services.AddClientSecrets();                                 // ek_… tokens
        builder.Services.AddEntraTokens();                                   // Azure:Entra (off by default)
        builder.Services.AddSingleton<InputAudioRecorder>();                 // Record:InputAudio
        builder.Services.AddSingleton<IInputAudioRecords>(sp => sp.GetRequiredService<InputAudioRecorder>());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapDefaultEndpoints();       // /health, /alive, /metrics
        app.MapClientSecrets();          // POST /v1/realtime/client_secrets
        app.MapRealtimeWebSocket();      // GET  /v1/realtime?model=… (WebSocket)
        app.MapEntraTokens();            // POST /{tenant}/oauth2/v2.0/token (Azure:Entra:Enabled)
        app.MapInputAudioRecord();       // /emulator/sessions (test-only, Record:InputAudio)

        return app;
    }
}
