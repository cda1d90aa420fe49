using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// Our <c>session.extensions</c> field on an OpenAI session, against the OpenAI emulator (which, as OpenAI, refuses
/// unknown session fields): a <c>true</c> is refused by the Router, anything else goes upstream without the field.
/// </summary>
public class OpenAIExtensionsTests
{
    private static readonly CatalogModel Model = new() { Id = "gpt-realtime-2", Provider = "openai", UpstreamModel = "gpt-realtime-2" };

    private static OpenAIConnector Connector(EmulatorHost emulator) => new ServiceCollection()
        .AddLogging()
        .Configure<OpenAIProviderOptions>("openai", o =>
        {
            o.BaseUrl = new Uri(emulator.WsBase, "v1").ToString();
            o.ApiKey = "sk-test";
            o.ConnectTimeout = TimeSpan.FromSeconds(5);
        })
        .AddSingleton(sp => new OpenAIConnector("openai", sp.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>(), sp.GetRequiredService<ILoggerFactory>()))
        .BuildServiceProvider()
        .GetRequiredService<OpenAIConnector>();

    private static ReadOnlyMemory<byte> Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task False_values_are_stripped_before_the_update_goes_upstream()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(new ProviderSessionContext("sess_x", "tenant", Model.Id, Model), sink, CancellationToken.None);
        await sink.NextAsync(); // session.created

        await session.SendEventAsync(0, Json("""
            {"type":"session.update","session":{"type":"realtime","instructions":"Be brief.","extensions":{"affective_dialog":false,"proactive_audio":false}}}
            """), CancellationToken.None);

        var events = await sink.CollectUntilAsync("session.updated");
        Assert.DoesNotContain(events, e => e.Type == "error");
        Assert.Equal("Be brief.", events[^1].Json.GetProperty("session").GetProperty("instructions").GetString());
    }

    [Theory]
    [InlineData("""{"proactive_audio":true}""", "unsupported_parameter", "session.extensions.proactive_audio")]
    [InlineData("""{"affective_dialog":true,"proactive_audio":false}""", "unsupported_parameter", "session.extensions.affective_dialog")]
    [InlineData("""{"affective_dialog":1}""", "invalid_type", "session.extensions.affective_dialog")]
    [InlineData("""{"mood":true}""", "unknown_parameter", "session.extensions.mood")]
    public async Task True_or_malformed_values_are_refused_and_nothing_goes_upstream(string extensions, string code, string param)
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(new ProviderSessionContext("sess_x", "tenant", Model.Id, Model), sink, CancellationToken.None);
        await sink.NextAsync(); // session.created

        await session.SendEventAsync(0, Json($$$"""
            {"type":"session.update","event_id":"evt_x","session":{"type":"realtime","instructions":"A","extensions":{{{extensions}}}}}
            """), CancellationToken.None);
        var error = (await sink.CollectUntilAsync("error"))[^1].Json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("evt_x", error.GetProperty("event_id").GetString());

        // The refused update never reached OpenAI: the next update is the first one the session shows.
        await session.SendEventAsync(0, Json("""{"type":"session.update","session":{"type":"realtime","tools":[]}}"""), CancellationToken.None);
        var updated = (await sink.CollectUntilAsync("session.updated"))[^1];
        Assert.NotEqual("A", updated.Json.GetProperty("session").GetProperty("instructions").GetString());
    }
}
