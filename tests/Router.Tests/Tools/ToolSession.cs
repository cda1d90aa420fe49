using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoicePlatform.Emulators.GeminiLive;
using VoicePlatform.Emulators.OpenAIRealtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Providers.Gemini;
using VoicePlatform.Router.Tools;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>
/// A session as SessionRelay wires it: the real connector (against its provider emulator) under the server-tool
/// layer, which talks to the real Tools service. The test plays the client: it sends canonical events to
/// <see cref="Session"/> and reads what the client would get from <see cref="Client"/>.
/// </summary>
public sealed class ToolSession : IAsyncDisposable
{
    public const string OpenAI = "openai";
    public const string Gemini = "gemini";

    private readonly ServiceProvider _services;
    private readonly EmulatorHost _emulator;

    private ToolSession(ServiceProvider services, EmulatorHost emulator, ServerToolSession layer, RecordingSink client)
    {
        _services = services;
        _emulator = emulator;
        Layer = layer;
        Client = client;
    }

    public static TheoryData<string> Providers => new() { OpenAI, Gemini };

    /// <summary>The server-tool layer (what the relay drives).</summary>
    public ServerToolSession Layer { get; }

    /// <summary>What reaches the client.</summary>
    public RecordingSink Client { get; }

    public IProviderSession Session => Layer;

    public static async Task<ToolSession> StartAsync(string provider, ToolsServiceFixture tools, string tenantId, ITestOutputHelper output,
        GrpcChannel? executionChannel = null, Dictionary<string, string?>? connectorSettings = null)
    {
        var emulator = provider == Gemini
            ? await EmulatorHost.StartAsync(GeminiLiveEmulatorApp.Build, "GeminiEmulator:Output:TurnCompleteAfterPlayback=false", "GeminiEmulator:Output:GenerationSpeed=0")
            : await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var settings = new Dictionary<string, string?>
        {
            ["Providers:OpenAI:BaseUrl"] = new Uri(emulator.WsBase, "v1").ToString(),
            ["Providers:OpenAI:ApiKey"] = "sk-test",
            ["Providers:OpenAI:ConnectTimeout"] = "00:00:05",
            ["Providers:Gemini:BaseUrl"] = emulator.WsBase.ToString(),
            ["Providers:Gemini:ApiKey"] = "good",
            ["Providers:Gemini:ConnectTimeout"] = "00:00:05",
            ["Providers:Gemini:SetupTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in connectorSettings ?? []) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new TestOutputLoggerProvider(output)))
            .AddOpenAIProvider(configuration)
            .AddGeminiProvider(configuration)
            .BuildServiceProvider();
        try
        {
            var model = provider == Gemini
                ? GeminiHarness.Model
                : new CatalogModel { Id = "gpt-realtime-2", Provider = "openai", UpstreamModel = "gpt-realtime-2" };
            var connector = services.GetServices<IProviderConnector>().Single(c => c.Provider == model.Provider);
            var client = new RecordingSink();
            var sessionId = RealtimeIds.New("sess");
            var layer = tools.CreateServerTools(services.GetRequiredService<ILoggerFactory>(), executionChannel).Open(sessionId, tenantId, resumed: false, client);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var inner = await connector.ConnectAsync(new ProviderSessionContext(sessionId, tenantId, model.Id, model), layer, cts.Token);
            await layer.AttachAsync(inner, resume: null, cts.Token);
            await client.WaitForAsync("session.created");
            return new ToolSession(services, emulator, layer, client);
        }
        catch
        {
            await services.DisposeAsync();
            await emulator.DisposeAsync();
            throw;
        }
    }

    public ValueTask SendAsync(object clientEvent) =>
        Session.SendEventAsync(0, Encoding.UTF8.GetBytes(clientEvent as string ?? JsonSerializer.Serialize(clientEvent)), CancellationToken.None);

    /// <summary>session.update with these tools; returns the session.updated the client sees.</summary>
    public async Task<RecordedEvent> ConfigureToolsAsync(params object[] tools)
    {
        var from = Client.Events.Count;
        await SendAsync(new { type = "session.update", session = new { type = "realtime", tools } });
        return await Client.WaitForAsync("session.updated", from);
    }

    public static object Platform(string name) => new { type = "platform", name };

    public static object Function(string name) => new
    {
        type = "function",
        name,
        description = "Client tool " + name,
        parameters = new { type = "object", properties = new { city = new { type = "string" } } },
    };

    public async Task UserTextAsync(string text, bool respond = true)
    {
        await SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });
        if (respond) await SendAsync(new { type = "response.create" });
    }

    /// <summary>Streams PCM16 at 24 kHz (the client's rate) in 100 ms chunks, as fast as the connector takes them.</summary>
    public async Task SendAudioAsync(byte[] pcm)
    {
        const int chunk = 24000 * 2 / 10;
        for (var offset = 0; offset < pcm.Length; offset += chunk)
            await Session.SendAudioAsync(0, pcm.AsMemory(offset, Math.Min(chunk, pcm.Length - offset)), 24000, null, CancellationToken.None);
    }

    /// <summary>The next response.done from <paramref name="from"/> on, and its index.</summary>
    public Task<RecordedEvent> NextResponseDoneAsync(int from, TimeSpan? timeout = null) =>
        Client.WaitForAsync("response.done", from, timeout ?? TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await Layer.DisposeAsync();
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }
}
