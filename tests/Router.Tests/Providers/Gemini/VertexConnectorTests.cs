using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Vertex;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// A Gemini provider instance on Vertex AI, against the emulator's Vertex surface: the LlmBidiService path, the
/// project/location model name, and OAuth bearer tokens from a service-account key file, which the emulator mints at
/// its <c>/token</c> and enforces (expired at the upgrade, and here also closing an open socket when its token expires).
/// </summary>
public sealed class VertexConnectorTests : IAsyncLifetime
{
    private static readonly CatalogModel Model = new()
    {
        Id = "vertex-gemini-2.5-native-audio", Provider = "vertex", UpstreamModel = "gemini-live-2.5-flash-native-audio",
    };

    // One clock for the emulator (token lifetimes, connection lifetimes) and the Router's token cache.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromTicks(1) };
    private readonly ServiceAccount _account = ServiceAccount.Create("router-tests");
    private EmulatorHost _emulator = null!;
    private string _keyFile = "";

    public async Task InitializeAsync()
    {
        _keyFile = _account.WriteKeyFile();
        _emulator = await EmulatorHost.StartAsync(args => GeminiLiveEmulatorApp.Build(args, services => services.AddSingleton<TimeProvider>(_time)),
            "GeminiEmulator:Output:TurnCompleteAfterPlayback=false", "GeminiEmulator:Output:GenerationSpeed=0",
            $"GeminiEmulator:Vertex:ServiceAccountKeyFiles:0={_keyFile}",
            "GeminiEmulator:Vertex:TokenLifetime=00:10:00", "GeminiEmulator:Vertex:CloseOnTokenExpiry=true",
            "GeminiEmulator:Vertex:ConnectionLifetime=00:09:30", "GeminiEmulator:Vertex:GoAwayLeadTime=00:00:30");
        _keyFile = _account.WriteKeyFile(new Uri(_emulator.HttpBase, "token").ToString()); // same key; the token URI is the emulator's
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        _account.Dispose();
    }

    private IProviderConnector Connector(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Providers:Vertex:Kind"] = "gemini",
            ["Providers:Vertex:Platform"] = "vertex",
            ["Providers:Vertex:BaseUrl"] = _emulator.WsBase.ToString(),
            ["Providers:Vertex:Vertex:Location"] = "us-central1",
            ["Providers:Vertex:Vertex:ServiceAccountKeyFile"] = _keyFile,
            ["Providers:Vertex:ConnectTimeout"] = "00:00:05",
            ["Providers:Vertex:SetupTimeout"] = "00:00:05",
            // A connection the provider drops unannounced (a socket closed because its token expired) ends the session.
            ["Providers:Vertex:DropRecoveriesPerMinute"] = "0",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_time)
            .AddGeminiProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetServices<IProviderConnector>().Single(c => c.Provider == "vertex");
    }

    private static async Task<RecordedEvent> TextTurnAsync(IProviderSession session, RecordingSink sink, string text)
    {
        var start = sink.Events.Count;
        await Send(session, new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });
        await Send(session, new { type = "response.create" });
        return await sink.WaitForAsync(e => e.Type == "response.done", start);
    }

    private static ValueTask Send(IProviderSession session, object clientEvent) =>
        session.SendEventAsync(0, JsonSerializer.SerializeToUtf8Bytes(clientEvent), CancellationToken.None);

    [Fact]
    public async Task A_session_outlives_its_first_access_token_because_the_token_is_refreshed_before_it_expires()
    {
        var sink = new RecordingSink();
        var switches = 0;
        var context = new ProviderSessionContext("sess_vertex", "tenant", Model.Id, Model)
        {
            ReportContinuity = (_, _, _) => Interlocked.Increment(ref switches),
        };
        await using var session = await Connector().ConnectAsync(context, sink, CancellationToken.None);
        Assert.Equal("session.created", sink.Events[0].Type);
        Assert.Equal("Echo: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(await TextTurnAsync(session, sink, "my name is Ada")));

        // 9:00: goAway; the next connection needs a token, and the first one (10 min) is a minute from expiry.
        _time.Advance(TimeSpan.FromMinutes(9));
        await GeminiContinuityTests.WaitUntilAsync(() => Volatile.Read(ref switches) > 0 || sink.Ended.IsCompleted, TimeSpan.FromSeconds(15));
        Assert.False(sink.Ended.IsCompleted);

        // 10:30: the first token has expired. Had the new connection been opened with it, the emulator would have closed
        // it at 10:00 (1008) and, with drops not recovered, the session would have ended with an error.
        _time.Advance(TimeSpan.FromMinutes(1.5));
        var recall = await TextTurnAsync(session, sink, "recall");
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.DoesNotContain(sink.Events, e => e.Type == "error");
        Assert.False(sink.Ended.IsCompleted);
    }

    [Fact]
    public async Task A_key_the_token_endpoint_does_not_trust_is_an_invalid_api_key_connect_failure()
    {
        using var stranger = ServiceAccount.Create("stranger");
        var keyFile = stranger.WriteKeyFile(new Uri(_emulator.HttpBase, "token").ToString());

        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() =>
            Connector(new() { ["Providers:Vertex:Vertex:ServiceAccountKeyFile"] = keyFile })
                .ConnectAsync(new ProviderSessionContext("sess_vertex", "tenant", Model.Id, Model), new RecordingSink(), CancellationToken.None));

        Assert.Equal("invalid_api_key", refused.Code);
    }

    [Fact]
    public async Task The_setup_names_the_model_by_project_and_location()
    {
        // The emulator refuses `models/…` on Vertex (1008 "Publisher model … was not found"): a session that opens and
        // answers proves the projects/{p}/locations/{l}/publishers/google/models/{id} name was sent.
        var sink = new RecordingSink();
        await using var session = await Connector().ConnectAsync(new ProviderSessionContext("sess_vertex", "tenant", Model.Id, Model), sink, CancellationToken.None);
        Assert.Equal("Echo: hello", GeminiSessionLifecycleTests.TranscriptOf(await TextTurnAsync(session, sink, "hello")));
    }
}
