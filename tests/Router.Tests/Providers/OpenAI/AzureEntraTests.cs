using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// An Azure OpenAI instance with <c>Auth=entra</c> against the emulator's Entra stand-in, through the real
/// Azure.Identity client-credentials flow over https: tokens are fetched once per instance, shared by its sessions,
/// refreshed before they expire on the platform clock, and a rollover connects with the current one.
/// </summary>
public sealed class AzureEntraTests(ITestOutputHelper output)
{
    private const string Tenant = "contoso-tenant";
    private const string ClientId = "router-app";
    private const string Secret = "router-secret";

    private static readonly CatalogModel Model = new() { Id = "azure-gpt-realtime-2.1", Provider = "azure", UpstreamModel = "gpt-realtime-2.1" };

    private readonly ConcurrentQueue<string> _logs = new();

    private IProviderConnector Connector(EntraEmulatorHost emulator, TimeProvider time, string secret = Secret,
        string sessionMaxDuration = "00:30:00", string rolloverMargin = "00:05:00")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:Azure:Kind"] = "openai",
            ["Providers:Azure:BaseUrl"] = emulator.AzureBaseUrl,
            ["Providers:Azure:Auth"] = "entra",
            ["Providers:Azure:Entra:TenantId"] = Tenant,
            ["Providers:Azure:Entra:ClientId"] = ClientId,
            ["Providers:Azure:Entra:ClientSecret"] = secret,
            ["Providers:Azure:Entra:AuthorityHost"] = emulator.HttpsBase.ToString(),
            ["Providers:Azure:SessionMaxDuration"] = sessionMaxDuration,
            ["Providers:Azure:RolloverMargin"] = rolloverMargin,
            ["Providers:Azure:ConnectTimeout"] = "00:00:10",
        }).Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new Gemini.TestOutputLoggerProvider(output, _logs)))
            .AddSingleton(time)
            .AddOpenAIProvider(configuration)
            .PostConfigure<OpenAIProviderOptions>("azure", o => o.Entra.Transport = emulator.TrustingTransport())
            .BuildServiceProvider()
            .GetServices<IProviderConnector>().Single(c => c.Provider == "azure");
    }

    private static ProviderSessionContext Context(TimeProvider time, Action<string>? continuity = null) =>
        new("sess_entra", "tenant", Model.Id, Model) { Time = time, ReportContinuity = (kind, _, _) => continuity?.Invoke(kind) };

    private static async Task<string> TextTurnAsync(IProviderSession session, RecordingSink sink, string text)
    {
        await session.SendEventAsync(0, Encoding.UTF8.GetBytes($$$"""
            {"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"{{{text}}}"}]}}
            """), CancellationToken.None);
        await session.SendEventAsync(0, """{"type":"response.create"}"""u8.ToArray(), CancellationToken.None);
        var events = await sink.CollectUntilAsync("response.done");
        Assert.DoesNotContain(events, e => e.Type is "error" or "(end)");
        return events.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString()!;
    }

    [Fact]
    public async Task Sessions_connect_with_an_Entra_token_fetched_once_and_shared()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Four minutes: under MSAL's own five-minute cache buffer, so only the Router's cache keeps the count at one.
        await using var emulator = await EntraEmulatorHost.StartAsync(time, "OpenAIEmulator:Azure:Entra:TokenLifetime=00:04:00",
            $"OpenAIEmulator:Azure:Entra:TenantId={Tenant}", $"OpenAIEmulator:Azure:Entra:ClientId={ClientId}",
            $"OpenAIEmulator:Azure:Entra:ClientSecret={Secret}");
        var connector = Connector(emulator, time);

        var sink = new RecordingSink();
        await using var first = await connector.ConnectAsync(Context(time), sink, CancellationToken.None);
        Assert.Equal("session.created", (await sink.NextAsync()).Type);
        Assert.Equal("Echo: Hi", await TextTurnAsync(first, sink, "Hi"));
        Assert.Equal(1, await emulator.TokenRequestsAsync());

        // Later sessions, two of them at once, reuse the cached token.
        time.Advance(TimeSpan.FromMinutes(1));
        var sinks = new[] { new RecordingSink(), new RecordingSink() };
        var more = await Task.WhenAll(sinks.Select(s => connector.ConnectAsync(Context(time), s, CancellationToken.None)));
        foreach (var s in sinks) Assert.Equal("session.created", (await s.NextAsync()).Type);
        Assert.Equal(1, await emulator.TokenRequestsAsync());
        foreach (var session in more) await session.DisposeAsync();
    }

    [Fact]
    public async Task The_token_is_refreshed_before_it_expires_and_a_rollover_connects_with_the_new_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EntraEmulatorHost.StartAsync(time, "OpenAIEmulator:Azure:Entra:TokenLifetime=00:04:00");
        // Connections last 300 s; the rollover is due 58 s before, at 242 s: after the first token (240 s) expired.
        var connector = Connector(emulator, time, sessionMaxDuration: "00:05:00", rolloverMargin: "00:00:58");
        var rolledOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var sink = new RecordingSink();
        await using var session = await connector.ConnectAsync(Context(time, kind => { if (kind == "provider_rollover") rolledOver.TrySetResult(); }),
            sink, CancellationToken.None);
        Assert.Equal("session.created", (await sink.NextAsync()).Type);
        Assert.Equal(1, await emulator.TokenRequestsAsync());

        // Past the refresh point (half the lifetime left: 120 s) but before expiry, a new connection gets a new token.
        time.Advance(TimeSpan.FromSeconds(130));
        var secondSink = new RecordingSink();
        await using (await connector.ConnectAsync(Context(time), secondSink, CancellationToken.None))
        {
            Assert.Equal("session.created", (await secondSink.NextAsync()).Type);
        }
        Assert.Equal(2, await emulator.TokenRequestsAsync());

        // At 245 s the first token has expired (the emulator refuses it) and the second is not due for refresh (250 s):
        // the rollover connects with the second, cached.
        time.Advance(TimeSpan.FromSeconds(115));
        await rolledOver.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("Echo: still here", await TextTurnAsync(session, sink, "still here"));
        Assert.Equal(2, await emulator.TokenRequestsAsync());
        Assert.Equal(1, ((OpenAISession)session).Rollovers);
    }

    [Fact]
    public async Task A_wrong_client_secret_fails_the_connect_with_Entra_s_reason_logged()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EntraEmulatorHost.StartAsync(time, $"OpenAIEmulator:Azure:Entra:ClientSecret={Secret}");

        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() =>
            Connector(emulator, time, secret: "not-the-secret").ConnectAsync(Context(time), new RecordingSink(), CancellationToken.None));

        // The code is what the client's error event carries (SessionRelay sends it as an OpenAI-style error).
        Assert.Equal("invalid_api_key", refused.Code);
        Assert.Contains("AADSTS7000215", refused.Message);
        Assert.Contains(_logs, line => line.Contains("no Microsoft Entra ID token", StringComparison.Ordinal) && line.Contains("AADSTS7000215", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, line => line.Contains("not-the-secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "", "secret", "needs Entra:TenantId")]
    [InlineData("t", "c", "", null)]
    public void Entra_settings_are_validated(string tenant, string client, string secret, string? error)
    {
        var options = new OpenAIProviderOptions { Auth = "entra", Entra = { TenantId = tenant, ClientId = client, ClientSecret = secret } };
        if (error is null) Assert.Null(options.ValidationError());
        else Assert.Contains(error, options.ValidationError());
        Assert.Contains("https", new OpenAIProviderOptions { Auth = "entra", Entra = { AuthorityHost = "http://login" } }.ValidationError());
    }
}
