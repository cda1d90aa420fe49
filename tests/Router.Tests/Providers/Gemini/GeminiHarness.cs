using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoicePlatform.Emulators.GeminiLive;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>An in-process Gemini Live emulator plus the connector under test (built through AddGeminiProvider).</summary>
public sealed class GeminiHarness : IAsyncDisposable
{
    public static readonly CatalogModel Model = new()
    {
        Id = "gemini-3.1-flash-live",
        Provider = "google",
        UpstreamModel = "gemini-3.1-flash-live",
    };

    private readonly ServiceProvider _services;

    private GeminiHarness(EmulatorHost emulator, ServiceProvider services, TimeProvider time, System.Collections.Concurrent.ConcurrentQueue<string> logs, CatalogModel model)
    {
        Emulator = emulator;
        ModelUnderTest = model;
        _services = services;
        Time = time;
        Logs = logs;
        Connector = services.GetServices<IProviderConnector>().Single(c => c.Provider == "google");
    }

    public EmulatorHost Emulator { get; }

    /// <summary>The catalog model the sessions serve (<see cref="Model"/> unless the test picked another family).</summary>
    public CatalogModel ModelUnderTest { get; }

    public IProviderConnector Connector { get; }

    /// <summary>The sessions' clock (<see cref="ProviderSessionContext.Time"/>); a test may pass a fake one.</summary>
    public TimeProvider Time { get; }

    /// <summary>What the connector logged, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; }

    public RecordingSink Sink { get; private set; } = new();

    /// <summary>Provider state the connector records for the checkpoint (Gemini's handle).</summary>
    public RecordingCheckpoints Checkpoints { get; private set; } = new();

    public IProviderSession Session { get; private set; } = null!;

    public string SessionId { get; } = RealtimeIds.New("sess");

    /// <summary>The Gateway sequence number of the frame being handed over (what the Router's relay sets).</summary>

    /// <summary>What the session reported doing to stay alive (<see cref="ProviderSessionContext.ReportContinuity"/>).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Kind, TimeSpan Took, string Detail)> Continuity { get; } = new();

    /// <summary>Starts the emulator (turnComplete right after generation unless overridden) and the connector.</summary>
    /// <param name="time">The sessions' clock; null keeps the system clock.</param>
    /// <param name="emulatorTime">The emulator's clock (connection lifetimes, goAway, handle validity); null keeps the system clock.</param>
    /// <param name="model">The catalog model; null: <see cref="Model"/> (3.1).</param>
    public static async Task<GeminiHarness> CreateAsync(ITestOutputHelper output, string[]? emulatorSettings = null, Dictionary<string, string?>? connectorSettings = null,
        TimeProvider? time = null, TimeProvider? emulatorTime = null, CatalogModel? model = null)
    {
        var settings = new List<string> { "GeminiEmulator:Output:TurnCompleteAfterPlayback=false", "GeminiEmulator:Output:GenerationSpeed=0" };
        settings.AddRange(emulatorSettings ?? []);
        var emulator = await EmulatorHost.StartAsync(
            args => GeminiLiveEmulatorApp.Build(args, services =>
            {
                if (emulatorTime is not null) services.AddSingleton(emulatorTime);
            }),
            [.. settings]);
        var values = new Dictionary<string, string?>
        {
            ["Providers:Gemini:BaseUrl"] = emulator.WsBase.ToString(),
            ["Providers:Gemini:ApiKey"] = "good",
            ["Providers:Gemini:ConnectTimeout"] = "00:00:05",
            ["Providers:Gemini:SetupTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in connectorSettings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new TestOutputLoggerProvider(output, logs)))
            .AddGeminiProvider(configuration)
            .BuildServiceProvider();
        return new GeminiHarness(emulator, services, time ?? TimeProvider.System, logs, model ?? Model);
    }

    public static async Task<GeminiHarness> StartAsync(ITestOutputHelper output, string[]? emulatorSettings = null, Dictionary<string, string?>? connectorSettings = null,
        TimeProvider? time = null, TimeProvider? emulatorTime = null, CatalogModel? model = null)
    {
        var harness = await CreateAsync(output, emulatorSettings, connectorSettings, time, emulatorTime, model);
        try
        {
            await harness.ConnectAsync();
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async Task ConnectAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Session = await Connector.ConnectAsync(new ProviderSessionContext(SessionId, "tenant_test", ModelUnderTest.Id, ModelUnderTest) { Checkpoints = Checkpoints, ReportContinuity = (k, t, d) => Continuity.Enqueue((k, t, d)), Time = Time }, Sink, cts.Token);
    }

    /// <summary>
    /// What a checkpoint would hold now: the session as last sent in session.created/updated, the conversation from
    /// conversation.item.done (no audio, input transcriptions folded in, deletions applied), and the provider state.
    /// </summary>
    public SessionResumeState Checkpoint() => CheckpointBuilder.From(Sink, Checkpoints);

    /// <summary>
    /// Re-attaches the session from <paramref name="state"/> on a fresh connector session (as a new Router would): the
    /// harness then drives the new session, with a new sink and checkpoints. The previous session is not touched.
    /// </summary>
    public async Task ResumeAsync(SessionResumeState state, TimeSpan? timeout = null)
    {
        Sink = new RecordingSink();
        Checkpoints = new RecordingCheckpoints();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var context = new ProviderSessionContext(SessionId, "tenant_test", ModelUnderTest.Id, ModelUnderTest) { Checkpoints = Checkpoints, Resume = state, ReportContinuity = (k, t, d) => Continuity.Enqueue((k, t, d)), Time = Time };
        Session = await Connector.ConnectAsync(context, Sink, cts.Token);
    }

    public ValueTask SendAsync(object clientEvent)
    {
        var json = clientEvent as string ?? JsonSerializer.Serialize(clientEvent);
        return Session.SendEventAsync(0, System.Text.Encoding.UTF8.GetBytes(json), CancellationToken.None);
    }

    public ValueTask SendJsonAsync(JsonNode clientEvent) => Session.SendEventAsync(0, System.Text.Encoding.UTF8.GetBytes(clientEvent.ToJsonString()), CancellationToken.None);

    /// <summary>Streams PCM16 in <paramref name="chunkMs"/> chunks, as fast as the connector takes them.</summary>
    public async Task SendAudioAsync(byte[] pcm, int sampleRate, int chunkMs = 100)
    {
        var chunk = sampleRate * 2 * chunkMs / 1000;
        for (var offset = 0; offset < pcm.Length; offset += chunk)
        {
            await Session.SendAudioAsync(0, pcm.AsMemory(offset, Math.Min(chunk, pcm.Length - offset)), sampleRate, null, CancellationToken.None);
        }
    }

    /// <summary>Hands over 20 ms frames numbered from <paramref name="firstSeq"/>, as the relay does with the Gateway's frames.</summary>
    public async Task SendFramesAsync(byte[] pcm, int sampleRate, ulong firstSeq)
    {
        var frame = sampleRate * 2 / 50;
        var seq = firstSeq;
        for (var offset = 0; offset < pcm.Length; offset += frame, seq++)
        {
            await Session.SendAudioAsync(seq, pcm.AsMemory(offset, Math.Min(frame, pcm.Length - offset)), sampleRate, null, CancellationToken.None);
        }
    }

    public async Task UserTextAsync(string text, bool respond = true)
    {
        await SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });
        if (respond)
        {
            await SendAsync(new { type = "response.create" });
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Session is not null)
        {
            await Session.DisposeAsync();
        }

        await _services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>Test audio: speech-like sound (140 Hz voice with harmonics) and silence, PCM16 LE.</summary>
public static class TestAudio
{
    public static byte[] Speech(double seconds, int sampleRate, double amplitude = 0.3)
    {
        var samples = (int)(seconds * sampleRate);
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var t = (double)i / sampleRate;
            var v = Math.Sin(2 * Math.PI * 140 * t) + 0.5 * Math.Sin(2 * Math.PI * 280 * t) + 0.25 * Math.Sin(2 * Math.PI * 420 * t);
            var s = (short)Math.Clamp(v / 1.75 * amplitude * short.MaxValue, short.MinValue, short.MaxValue);
            pcm[2 * i] = (byte)s;
            pcm[2 * i + 1] = (byte)(s >> 8);
        }

        return pcm;
    }

    public static byte[] Silence(double seconds, int sampleRate) => new byte[(int)(seconds * sampleRate) * 2];

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
