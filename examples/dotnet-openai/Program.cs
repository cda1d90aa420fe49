// One voice turn through VoicePlatform with the official .NET SDK, unchanged but for the endpoint.
//   dotnet run --project examples/dotnet-openai -- [--model gpt-realtime-2] [--text "Hello there"]
// Where the platform is: VOICEPLATFORM_URL / VOICEPLATFORM_API_KEY, else the .apphost/endpoints.json of a local
// `dotnet run --project AppHost`, searched upward from the working directory. Over https the dev CA must be trusted
// the .NET way (see docs/quickstarts.md: SSL_CERT_FILE, or the system store).
using System.ClientModel;
using System.Text.Json;
using OpenAI.Realtime;

var model = Option("--model") ?? "gpt-realtime-2";
var text = Option("--text") ?? "Hello there";
var (url, apiKey) = LocatePlatform();

var client = new RealtimeClient(new ApiKeyCredential(apiKey), new RealtimeClientOptions { Endpoint = new Uri($"{url}/v1") });
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
using var session = await client.StartConversationSessionAsync(model, cancellationToken: timeout.Token);
var audioBytes = 0;
await foreach (var update in session.ReceiveUpdatesAsync(timeout.Token))
{
    switch (update)
    {
        case RealtimeServerUpdateSessionCreated:
            Console.WriteLine($"session created on {model}");
            await session.AddItemAsync(RealtimeItem.CreateUserMessageItem(text), timeout.Token);
            await session.StartResponseAsync(timeout.Token);
            break;
        case RealtimeServerUpdateResponseOutputAudioDelta delta:
            audioBytes += delta.Delta.ToArray().Length; // PCM16 24 kHz: play it, or save it
            break;
        case RealtimeServerUpdateResponseOutputAudioTranscriptDone transcript:
            Console.WriteLine($"assistant: {transcript.Transcript}");
            break;
        case RealtimeServerUpdateError error:
            Console.Error.WriteLine($"error: {error.Kind}");
            return 1;
        case RealtimeServerUpdateResponseDone:
            Console.WriteLine($"reply audio: {audioBytes / 48000.0:0.0} s");
            return 0;
    }
}
return 1;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static (string Url, string ApiKey) LocatePlatform()
{
    if (Environment.GetEnvironmentVariable("VOICEPLATFORM_URL") is { Length: > 0 } url)
        return (url, Environment.GetEnvironmentVariable("VOICEPLATFORM_API_KEY") ?? "");
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        var file = Path.Combine(dir.FullName, ".apphost", "endpoints.json");
        if (!File.Exists(file)) continue;
        using var endpoints = JsonDocument.Parse(File.ReadAllText(file));
        return (endpoints.RootElement.GetProperty("gatewayTls").GetString()!, endpoints.RootElement.GetProperty("devApiKey").GetString()!);
    }
    throw new InvalidOperationException("Platform not found: set VOICEPLATFORM_URL and VOICEPLATFORM_API_KEY, or run inside a checkout where `dotnet run --project AppHost` is running.");
}
