using VoicePlatform.Emulators.GeminiLive;

// The whole app is assembled in GeminiLiveEmulatorApp.Build so tests can host it in-process.
var app = GeminiLiveEmulatorApp.Build(args);
await app.RunAsync();
