using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Emulators.OpenAIRealtime;
using VoicePlatform.Router.Instances;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>
/// A model its provider retired (catalog <c>ReplacedBy</c>): a session naming it runs on the replacement, and the client
/// hears so right after session.created — through a real Router (in-process, real Redis, RabbitMQ and PostgreSQL) and
/// the OpenAI emulator.
/// </summary>
public sealed class ModelDeprecationTests
{
    [Fact]
    public async Task A_session_on_a_retired_model_runs_on_its_replacement_and_gets_a_deprecation_event_after_session_created()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        await using var router = await InProcessService<RouterInstance>.StartAsync(database: "router", configure: web =>
        {
            web.UseSetting("Providers:OpenAI:BaseUrl", new Uri(emulator.WsBase, "v1").ToString());
            web.UseSetting("Providers:OpenAI:ApiKey", "sk-test");
            // Appended to models.json's list (the binder adds an index it does not have).
            web.UseSetting("ModelCatalog:Models:90:Id", "gpt-realtime-retired");
            web.UseSetting("ModelCatalog:Models:90:Provider", "openai");
            web.UseSetting("ModelCatalog:Models:90:UpstreamModel", "gpt-realtime-retired");
            web.UseSetting("ModelCatalog:Models:90:ReplacedBy", "gpt-realtime-2.1");
        });
        var client = new RealtimeRouter.RealtimeRouterClient(router.Channel);

        var events = await FirstEventsAsync(client, "gpt-realtime-retired", count: 2);

        Assert.Equal("session.created", events[0].GetProperty("type").GetString());
        Assert.Equal("gpt-realtime-2.1", events[0].GetProperty("session").GetProperty("model").GetString());
        var warning = events[1];
        Assert.Equal("session.model_deprecated", warning.GetProperty("type").GetString());
        Assert.Equal("gpt-realtime-retired", warning.GetProperty("model").GetString());
        Assert.Equal("gpt-realtime-2.1", warning.GetProperty("replaced_by").GetString());
        Assert.Contains("retired", warning.GetProperty("message").GetString());

        // A current model gets no warning: its second event is whatever the session does next, never the deprecation.
        var current = await FirstEventsAsync(client, "gpt-realtime-2.1", count: 1, thenSend: """{"type":"input_audio_buffer.clear"}""");
        Assert.Equal("session.created", current[0].GetProperty("type").GetString());
    }

    private static async Task<List<JsonElement>> FirstEventsAsync(RealtimeRouter.RealtimeRouterClient client, string model, int count, string? thenSend = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = client.RunSession(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new SessionClientFrame
        {
            Start = new SessionStart { SessionId = "sess_" + Guid.NewGuid().ToString("N"), TenantId = Guid.NewGuid().ToString(), Model = model, ClientProtocol = "openai-realtime", InputStream = "test" },
        });
        var events = new List<JsonElement>();
        while (events.Count < count && await call.ResponseStream.MoveNext(cts.Token))
        {
            var frame = call.ResponseStream.Current;
            if (frame.FrameCase == SessionServerFrame.FrameOneofCase.ServerEvent)
                events.Add(JsonDocument.Parse(frame.ServerEvent.Json.Memory).RootElement.Clone());
            Assert.NotEqual(SessionServerFrame.FrameOneofCase.End, frame.FrameCase);
        }
        if (thenSend is not null)
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame { ClientEvent = new ClientEvent { Json = Google.Protobuf.ByteString.CopyFromUtf8(thenSend) }, Seq = 1 });
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
                var frame = call.ResponseStream.Current;
                if (frame.FrameCase != SessionServerFrame.FrameOneofCase.ServerEvent) continue;
                var next = JsonDocument.Parse(frame.ServerEvent.Json.Memory).RootElement.Clone();
                Assert.NotEqual("session.model_deprecated", next.GetProperty("type").GetString());
                break;
            }
        }
        await call.RequestStream.CompleteAsync();
        return events;
    }
}
