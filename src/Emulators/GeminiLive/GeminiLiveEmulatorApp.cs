using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Recording;
using VoicePlatform.Emulators.GeminiLive.Sessions;
using VoicePlatform.Emulators.GeminiLive.Transport;
using VoicePlatform.Emulators.GeminiLive.Vertex;
using VoicePlatform.Emulators.InputAudioRecording;
using VoicePlatform.ServiceDefaults;

namespace VoicePlatform.Emulators.GeminiLive;

/// <summary>Builds the Gemini Live emulator: a table of contents of its features.</summary>
public static class GeminiLiveEmulatorApp
{
    public static WebApplication Build(string[] args) => Build(args, configureServices: null);

    /// <param name="configureServices">Test hook, applied last: e.g. a FakeTimeProvider in place of the system clock.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();

        builder.Services.AddOptions<GeminiEmulatorOptions>()
            .Bind(builder.Configuration.GetSection(GeminiEmulatorOptions.SectionName));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddSingleton<EphemeralTokenStore>();
        builder.Services.AddSingleton<AccessTokenStore>();
        builder.Services.AddSingleton<ConnectionCounter>();
        builder.Services.AddSingleton<InputAudioRecorder>();
        builder.Services.AddSingleton<IInputAudioRecords>(sp => sp.GetRequiredService<InputAudioRecorder>());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();

        app.UseWebSockets();
        // The SDKs build "<base>/" + "/ws/..." so the real path often arrives with a double slash;
        // the middleware matches on the trimmed path instead of endpoint routing.
        app.UseMiddleware<LiveEndpointMiddleware>();
        app.MapAuthTokenEndpoints();
        app.MapOAuthTokenEndpoint();  // POST /token: OAuth service-account flow for the Vertex paths
        app.MapInputAudioRecord();   // /emulator/sessions (test-only, Record:InputAudio)
        app.MapDefaultEndpoints();
        return app;
    }
}
