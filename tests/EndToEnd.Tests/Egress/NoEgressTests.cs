using System.Globalization;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Network;
using VoicePlatform.TestSupport.Realtime;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests.Egress;

/// <summary>
/// The platform with every .NET child's outbound HTTP pointed at a recording proxy (loopback excepted), so any attempt
/// to reach a host outside the machine is seen, even one that would fail at DNS, and none leaves it.
/// </summary>
public sealed class EgressWatchedPlatform : PlatformFixture, IAsyncLifetime
{
    public ForwardProxyRecorder Proxy { get; } = new();

    protected override Dictionary<string, string?> Environment => Proxy.ProxyEnvironment();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

/// <summary>
/// Nothing phones home: during a session (a realtime turn on each provider, REST calls) no service or emulator sends
/// an HTTP request outside loopback, and none holds a socket to a non-loopback address. MassTransit's usage report
/// goes out 5 minutes after a bus starts; <c>VOICEPLATFORM_EGRESS_WATCH_SECONDS</c> keeps the platform watched that
/// long (e.g. 330) to see it, which is too slow for every CI run (the unit test in ServiceDefaults.Tests checks its switch).
/// </summary>
public class NoEgressTests(EgressWatchedPlatform platform, ITestOutputHelper output) : IClassFixture<EgressWatchedPlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_service_reaches_outside_loopback_during_sessions()
    {
        foreach (var model in new[] { "gpt-realtime-2", "gemini-3.1-flash-live" })
        {
            await using var client = await platform.ConnectAsync(model);
            await client.ExpectAsync("session.created", Turn);
            await client.SendAsync(new
            {
                type = "conversation.item.create",
                item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "Hello there" } } },
            });
            await client.SendAsync(new { type = "response.create" });
            await client.CollectUntilAsync("response.done", Turn);
        }
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
            Assert.True((await http.GetAsync($"{platform.Endpoints.Gateway}/v1/models")).IsSuccessStatusCode);
            Assert.True((await http.GetAsync($"{platform.Endpoints.Gateway}/v1/usage")).IsSuccessStatusCode);
        }

        var watch = TimeSpan.FromSeconds(int.Parse(System.Environment.GetEnvironmentVariable("VOICEPLATFORM_EGRESS_WATCH_SECONDS") ?? "0", CultureInfo.InvariantCulture));
        var outside = new List<string>();
        var deadline = DateTime.UtcNow + watch;
        do
        {
            // Our services and emulators, and the backing services' processes too.
            foreach (var (resource, processId) in platform.ProcessIds())
                outside.AddRange(ProcessSockets.Of(processId).Where(s => !s.StaysOnLoopback).Select(s => $"{resource}: {s}"));
            if (outside.Count > 0 || platform.Proxy.Requests.Count > 0 || DateTime.UtcNow >= deadline) break;
            // Only with a watch window: sample the sockets a few times a second until it ends.
            await Poll.UntilAsync(() => Task.FromResult(platform.Proxy.Requests.Count), count => count > 0, TimeSpan.FromMilliseconds(250));
        } while (true);

        // The scan sees sockets at all: the Gateway listens on several.
        Assert.NotEmpty(ProcessSockets.Of(platform.ProcessId("gateway")));
        output.WriteLine($"proxy requests: {platform.Proxy.Requests.Count}, outside sockets: {outside.Count}");
        Assert.True(platform.Proxy.Requests.Count == 0, "outbound HTTP outside loopback: " + string.Join("; ", platform.Proxy.Requests));
        Assert.True(outside.Count == 0, "sockets outside loopback: " + string.Join("; ", outside.Distinct()));
    }
}
