using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Grpc.Net.Client;
using Xunit.Abstractions;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Infra.Tests.Simulation;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Infra.Tests;

/// <summary>
/// The rendered dev overlay, run process by process with exactly its Deployments' environment (issue 19's "simulated"
/// part): every service comes up and answers its probes on its ports; a rollout of a Router and a Gateway under live
/// sessions, with the manifests' own preStop and grace periods, keeps every session alive.
/// </summary>
public sealed class DevOverlaySimulationTests(DevOverlaySimulation simulation, ITestOutputHelper output) : IClassFixture<DevOverlaySimulation>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Every_service_listens_on_its_container_ports_and_answers_its_probes()
    {
        var cluster = simulation.Cluster;
        // Every platform Deployment runs (the services and the emulators), not only those the rollout needs.
        Assert.Superset(new HashSet<string> { "gateway", "router", "tools", "transcripts", "billing", "insights", "console", "openai-emulator", "gemini-emulator" },
            cluster.Deployments.Select(d => d.Metadata.Name).ToHashSet());
        foreach (var deployment in cluster.Deployments)
        {
            var pods = cluster.PodsOf(deployment.Metadata.Name).Where(p => !p.Exited && !p.Terminating).ToList();
            Assert.True(pods.Count > 0, $"{deployment.Metadata.Name} has no running pod");
            foreach (var pod in pods)
            {
                foreach (var probe in new[] { pod.Container.StartupProbe, pod.Container.ReadinessProbe, pod.Container.LivenessProbe })
                {
                    Assert.NotNull(probe);
                    Assert.True(await pod.ProbeAsync(probe), $"{pod.Name}: {probe.HttpGet.Path} on port {probe.HttpGet.Port.Value} does not answer:\n{pod.TailOfLog()}");
                }
                foreach (var (containerPort, port) in pod.Ports)
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync("127.0.0.1", port);
                    Assert.True(tcp.Connected, $"{pod.Name} does not listen on container port {containerPort}");
                }
                // Only ports and Service addresses were translated; every other value is the Deployment's own.
                foreach (var translation in pod.Environment.Translations) output.WriteLine($"{pod.Name}: {translation}");
                Assert.All(pod.Environment.Translations, t => Assert.Matches(@"(__Url|Management__Port|^services__.*|BaseUrl): ", t));
            }
        }
    }

    [Fact]
    public async Task A_rollout_of_a_Router_and_a_Gateway_under_live_sessions_keeps_every_session_alive()
    {
        var cluster = simulation.Cluster;
        var sessions = new List<(string Model, RealtimeTestClient Client, JsonElement Resume)>();
        try
        {
            foreach (var model in new[] { "gpt-realtime-2", "gpt-realtime-2", "gemini-3.1-flash-live", "gemini-3.1-flash-live" })
            {
                var client = await RealtimeTestClient.ConnectAsync(simulation.RealtimeUri(model), simulation.ApiKey);
                var resume = (await client.ExpectAsync("session.created", Turn)).GetProperty("resume");
                await SayAsync(client, "my name is Ada");
                await client.CollectUntilAsync("response.done", Turn);
                sessions.Add((model, client, resume));
            }
            var oldRouter = cluster.PodsOf("router").Single();
            var oldGateway = cluster.PodsOf("gateway").Single();
            using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{oldRouter.Ports[8081]}"))
            {
                var info = await new RealtimeRouter.RealtimeRouterClient(channel).GetInstanceInfoAsync(new GetInstanceInfoRequest());
                Assert.Equal(sessions.Count, info.ActiveSessions);
            }

            // The rollout's surge pods (maxSurge 1, maxUnavailable 0): new ones ready before an old one is told to stop.
            await Task.WhenAll(cluster.AddReplicaAsync("router"), cluster.AddReplicaAsync("gateway"));
            await simulation.WaitUntilAllReadyAsync();

            // The old Router: out of the Service, preStop, SIGTERM; it drains and hands every session to the new one.
            var router = await oldRouter.TerminateAsync();
            output.WriteLine(router.ToString());
            Assert.False(router.Killed, $"router-1 was still running at its grace period's end:\n{oldRouter.TailOfLog()}");
            Assert.Equal(0, router.ExitCode);
            await Task.WhenAll(sessions.Select(async session =>
            {
                Assert.True(session.Client.Socket.State == WebSocketState.Open,
                    $"{session.Model}: closed by the Router's drain: {session.Client.Socket.CloseStatus} {session.Client.Socket.CloseStatusDescription}");
                // Gemini's emulator answers "recall" with the previous user message: the context from before the rollout.
                var gemini = session.Model.StartsWith("gemini", StringComparison.Ordinal);
                await SayAsync(session.Client, gemini ? "recall" : "after the router");
                var events = await session.Client.CollectUntilAsync("response.done", Turn);
                Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
                Assert.Equal(gemini ? "Earlier you said: my name is Ada" : "Echo: after the router", Transcript(events));
            }));

            var newRouter = cluster.PodsOf("router").Single(p => p != oldRouter);
            using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{newRouter.Ports[8081]}"))
            {
                var info = await new RealtimeRouter.RealtimeRouterClient(channel).GetInstanceInfoAsync(new GetInstanceInfoRequest());
                Assert.Equal(sessions.Count, info.ActiveSessions);
            }

            // The old Gateway: out of the Service, preStop, SIGTERM; each client is told, closed with 1012 and resumes
            // its session through the Service, which now reaches only the new Gateway.
            var terminating = oldGateway.TerminateAsync();
            var resumed = await Task.WhenAll(sessions.Select(async session =>
            {
                var (status, reason, events) = await session.Client.WaitForCloseAsync(TimeSpan.FromSeconds(60));
                var notice = Assert.Single(events, e => e.Type() == "session.draining");
                Assert.Equal(session.Resume.Str("session_id"), notice.Str("session_id"));
                Assert.Equal((WebSocketCloseStatus)1012, status);
                Assert.Equal("server_restarting", reason);
                var uri = new Uri($"{simulation.GatewayUrl.Replace("http://", "ws://", StringComparison.Ordinal)}/v1/realtime" +
                    $"?session_id={session.Resume.Str("session_id")}&resume_token={Uri.EscapeDataString(session.Resume.Str("token"))}");
                var client = await RealtimeTestClient.ConnectAsync(uri, simulation.ApiKey);
                var back = await client.ExpectAsync("session.resumed", Turn);
                Assert.Equal(session.Resume.Str("session_id"), back.Str("session_id"));
                return (session.Model, Client: client);
            }));
            var gateway = await terminating;
            output.WriteLine(gateway.ToString());
            Assert.False(gateway.Killed, $"gateway-1 was still running at its grace period's end:\n{oldGateway.TailOfLog()}");
            Assert.Equal(0, gateway.ExitCode);

            try
            {
                // The same sessions on the new Router and Gateway, with their provider context (the last thing said before).
                await Task.WhenAll(resumed.Select(async session =>
                {
                    var gemini = session.Model.StartsWith("gemini", StringComparison.Ordinal);
                    await SayAsync(session.Client, gemini ? "recall" : "and now?");
                    var events = await session.Client.CollectUntilAsync("response.done", Turn);
                    Assert.DoesNotContain(events, e => e.Type() is "error" or "session.created");
                    Assert.Equal(gemini ? "Earlier you said: recall" : "Echo: and now?", Transcript(events));
                }));
            }
            finally
            {
                foreach (var (_, client) in resumed) await client.DisposeAsync();
            }
        }
        finally
        {
            foreach (var session in sessions) await session.Client.DisposeAsync();
        }
    }

    private static async Task SayAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
        });
        await client.SendAsync(new { type = "response.create" });
    }

    private static string Transcript(List<JsonElement> events) =>
        events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
}
