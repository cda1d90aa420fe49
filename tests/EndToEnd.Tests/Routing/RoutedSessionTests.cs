using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.EndToEnd.Tests.Realtime.Limits;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Routing;

/// <summary>
/// Sessions connecting with a route name: the route's target and session defaults apply before the client's first
/// event, a running experiment splits subjects by weight and keeps each subject on one arm on every Gateway and
/// Router, and a resumed session stays on the model and arm it started with.
/// </summary>
[Collection(PlatformCollection.Name)]
public class RoutedSessionTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_route_starts_on_its_target_with_its_session_defaults_and_says_so()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "routed-defaults");
        await CreateRouteAsync(tenant, """{"name":"brief-voice","target":{"model":"gpt-realtime-2","session":{"instructions":"Be brief.","audio":{"output":{"voice":"marin"}}}}}""");

        await using var client = await RealtimeTestClient.ConnectAsync(Uri(platform.Endpoints.Gateway, "brief-voice"), tenant.ApiKey);
        var created = await client.ExpectAsync("session.created", Turn);
        var routing = created.GetProperty("routing");
        Assert.Equal(("brief-voice", "gpt-realtime-2"), (routing.Str("route"), routing.Str("model")));
        Assert.Equal(JsonValueKind.Null, routing.GetProperty("experiment").ValueKind);
        Assert.Equal("Be brief.", created.GetProperty("session").Str("instructions"));
        Assert.Equal("marin", created.GetProperty("session").GetProperty("audio").GetProperty("output").Str("voice"));

        // The defaults' own session.updated is not shown: the next event the client sees answers its own update, which
        // may restate the model by the route's name or the model's.
        await client.SendAsync(new { type = "session.update", event_id = "u1", session = new { type = "realtime", model = "brief-voice", instructions = "Be briefer." } });
        var updated = await client.NextAsync(Turn);
        Assert.Equal("session.updated", updated.Type());
        Assert.Equal("Be briefer.", updated.GetProperty("session").Str("instructions"));
        Assert.Equal("marin", updated.GetProperty("session").GetProperty("audio").GetProperty("output").Str("voice"));
        await client.SendAsync(new { type = "session.update", event_id = "u2", session = new { type = "realtime", model = "gpt-realtime-2" } });
        Assert.Equal("session.updated", (await client.NextAsync(Turn)).Type());
        await client.SendAsync(new { type = "session.update", event_id = "u3", session = new { type = "realtime", model = "gemini-3.1-flash-live" } });
        var refused = (await client.ExpectAsync("error", Turn)).GetProperty("error");
        Assert.Equal(("invalid_value", "session.model", "u3"), (refused.Str("code"), refused.Str("param"), refused.Str("event_id")));

        await RealtimeConversationTests.SendUserTextAsync(client, "hello route");
        var events = await client.CollectUntilAsync("response.done", Turn);
        Assert.Equal("Echo: hello route", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
    }

    [Fact]
    public async Task A_name_that_is_neither_a_model_nor_a_route_of_the_tenant_is_model_not_found()
    {
        var owner = await LimitedTenant.CreateAsync(platform, "routed-owner");
        var stranger = await LimitedTenant.CreateAsync(platform, "routed-stranger");
        await CreateRouteAsync(owner, """{"name":"owners-route","target":"gpt-realtime-2"}""");

        await using var client = await RealtimeTestClient.ConnectAsync(Uri(platform.Endpoints.Gateway, "owners-route"), stranger.ApiKey);
        var (status, reason, events) = await client.WaitForCloseAsync(Turn);
        var error = Assert.Single(events).GetProperty("error");
        Assert.Equal(("model_not_found", "model"), (error.Str("code"), error.Str("param")));
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "model_not_found"), (status, reason));
    }

    [Fact]
    public async Task A_fifty_fifty_experiment_splits_subjects_within_binomial_bounds_and_keeps_each_subject_on_its_arm()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "routed-experiment");
        await CreateRouteAsync(tenant, """{"name":"ab-voice","target":"gpt-realtime-2"}""");
        var experiment = await StartExperimentAsync(tenant, """
            { "name": "gpt-vs-gemini", "route": "ab-voice", "traffic_percent": 100, "subject": "user",
              "arms": [ {"name": "control", "target": "gpt-realtime-2", "weight": 50},
                        {"name": "gemini", "target": {"model": "gemini-3.1-flash-live", "session": {"instructions": "You are the Gemini arm."}}, "weight": 50} ] }
            """);

        const int subjects = 200;
        var arms = new string[subjects];
        await Parallel.ForEachAsync(Enumerable.Range(0, subjects), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var gateway = i % 2 == 0 ? platform.Endpoints.Gateway : platform.SecondGateway;
            await using var client = await RealtimeTestClient.ConnectAsync(Uri(gateway, "ab-voice", $"user=subject-{i}"), tenant.ApiKey);
            var created = await client.ExpectAsync("session.created", Turn);
            var routing = created.GetProperty("routing");
            arms[i] = routing.Str("arm");
            Assert.Equal(experiment, routing.Str("experiment"));
            Assert.Equal(arms[i] == "control" ? "gpt-realtime-2" : "gemini-3.1-flash-live", routing.Str("model"));
            if (arms[i] == "gemini") Assert.Equal("You are the Gemini arm.", created.GetProperty("session").Str("instructions"));
        });
        var control = arms.Count(a => a == "control");
        Assert.Equal(subjects, control + arms.Count(a => a == "gemini"));
        // 50/50 over 200: mean 100, σ ≈ 7.07; ±4σ fails a correct split about once in 16,000 runs.
        Assert.InRange(control, 72, 128);

        // One subject, twenty sessions, alternating Gateways (and so reaching both Routers): always the same arm, the
        // one it had among the 200, announced in session.created and counted once per session.
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var gateway = i % 2 == 0 ? platform.Endpoints.Gateway : platform.SecondGateway;
            var header = i % 4 < 2; // the header or ?user=, the same subject either way
            await using var client = await RealtimeTestClient.ConnectAsync(Uri(gateway, "ab-voice", header ? null : "user=subject-7"), tenant.ApiKey,
                options =>
                {
                    options.SetRequestHeader("Authorization", $"Bearer {tenant.ApiKey}");
                    if (header) options.SetRequestHeader("X-VoicePlatform-Subject", "subject-7");
                });
            seen.Add((await client.ExpectAsync("session.created", Turn)).GetProperty("routing").Str("arm"));
        }
        Assert.Equal([arms[7]], seen);

        using var http = tenant.Http();
        var read = await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/experiments/{experiment}"),
            e => Count(e, "control") + Count(e, "gemini") == subjects + 20, TimeSpan.FromSeconds(10));
        Assert.Equal(control + (arms[7] == "control" ? 20 : 0), Count(read, "control"));
    }

    [Fact]
    public async Task A_resumed_session_keeps_its_model_and_arm_after_the_experiment_stopped()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "routed-resume");
        // Outside the experiment the route goes to Gemini; both arms run on OpenAI.
        await CreateRouteAsync(tenant, """{"name":"sticky-voice","target":"gemini-3.1-flash-live"}""");
        var experiment = await StartExperimentAsync(tenant, """
            { "name": "voices", "route": "sticky-voice",
              "arms": [ {"name": "alloy", "target": "gpt-realtime-2", "weight": 1},
                        {"name": "marin", "target": {"model": "gpt-realtime-2", "session": {"audio": {"output": {"voice": "marin"}}}}, "weight": 1} ] }
            """);

        var first = await RealtimeTestClient.ConnectAsync(Uri(platform.Endpoints.Gateway, "sticky-voice", "user=returning-caller"), tenant.ApiKey);
        var created = await first.ExpectAsync("session.created", Turn);
        var arm = created.GetProperty("routing").Str("arm");
        Assert.Equal("gpt-realtime-2", created.GetProperty("routing").Str("model"));
        var resume = created.GetProperty("resume");
        await RealtimeConversationTests.SendUserTextAsync(first, "my name is Ada");
        await first.CollectUntilAsync("response.done", Turn);

        using var http = tenant.Http();
        (await http.PostAsync($"/v1/experiments/{experiment}/stop", null)).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () =>
        {
            await using var probe = await RealtimeTestClient.ConnectAsync(Uri(platform.Endpoints.Gateway, "sticky-voice", "user=returning-caller"), tenant.ApiKey);
            return (await probe.ExpectAsync("session.created", Turn)).GetProperty("routing").Str("model");
        }, model => model == "gemini-3.1-flash-live", TimeSpan.FromSeconds(10));

        first.Socket.Abort();
        await first.DisposeAsync();
        await using var second = await RealtimeTestClient.ConnectAsync(
            new Uri($"{platform.SecondGateway.Replace("http://", "ws://")}/v1/realtime?session_id={resume.Str("session_id")}&resume_token={System.Uri.EscapeDataString(resume.Str("token"))}"),
            tenant.ApiKey);
        await second.ExpectAsync("session.resumed", Turn);
        // OpenAI's emulator echoes; Gemini's would answer "recall" from the history ("Earlier you said: …").
        await RealtimeConversationTests.SendUserTextAsync(second, "recall");
        var events = await second.CollectUntilAsync("response.done", Turn);
        Assert.Equal("Echo: recall", events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));

        var sessionId = resume.Str("session_id");
        var recorded = await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/sessions/{sessionId}"),
            s => s.TryGetProperty("model", out _), TimeSpan.FromSeconds(30));
        Assert.Equal(("gpt-realtime-2", "sticky-voice", experiment, arm),
            (recorded.Str("model"), recorded.Str("route"), recorded.Str("experiment_id"), recorded.Str("experiment_arm")));

        // Both turns' usage (before and after the resume) is billed to the arm.
        var usage = await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/usage?group_by=arm&experiment={experiment}"),
            u => u.GetProperty("data").GetArrayLength() > 0 && u.GetProperty("data")[0].GetProperty("events").GetInt64() >= 2, TimeSpan.FromSeconds(30));
        var bucket = Assert.Single(usage.GetProperty("data").EnumerateArray());
        Assert.Equal((arm, 1L), (bucket.Str("key"), bucket.GetProperty("sessions").GetInt64()));
    }

    private static long Count(JsonElement experiment, string arm) =>
        experiment.GetProperty("assignments").GetProperty("arms").TryGetProperty(arm, out var n) ? n.GetInt64() : 0;

    private static Uri Uri(string gateway, string model, string? query = null) => TenantRouting.RealtimeUri(gateway, model, query);

    private static Task CreateRouteAsync(LimitedTenant tenant, string json) => TenantRouting.CreateRouteAsync(tenant, json);

    private static Task<string> StartExperimentAsync(LimitedTenant tenant, string json) => TenantRouting.StartExperimentAsync(tenant, json);
}
