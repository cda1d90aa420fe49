using System.Collections.Concurrent;
using System.Diagnostics;
using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Sessions;

[Collection(CliCollection.Name)]
public sealed class SessionsCommandTests(CliPlatform platform)
{
    [Fact]
    public async Task Lists_a_finished_session_with_its_model_and_end()
    {
        var sessionId = await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gemini-3.1-flash-live", "list me");

        // The session's record reaches Transcripts over the bus: wait for it to show as ended.
        var result = await Poll.UntilAsync(() => Vp.RunAsync(platform.TenantEnvironment, "sessions", "--model", "gemini-3.1-flash-live"),
            r => r.Stdout.Split('\n').Any(line => line.StartsWith(sessionId) && !line.EndsWith("live")), TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ID ", result.Stdout);
        Assert.Matches($@"(?m)^{sessionId}\s+gemini-3.1-flash-live\s.*\S$", result.Stdout);
    }

    [Fact]
    public async Task Follow_prints_a_session_as_it_starts_and_ends()
    {
        using var checkout = new LocalCheckout(platform);
        using var follow = Vp.Start(checkout.WorkingDirectory, new Dictionary<string, string?>(), "sessions", "--follow", "--interval", "00:00:00.5");
        var lines = new ConcurrentQueue<string>();
        follow.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lines.Enqueue(e.Data);
        };
        follow.BeginOutputReadLine();
        try
        {
            var sessionId = await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gpt-realtime-2", "follow me");

            var seen = await Poll.UntilAsync(() => Task.FromResult(lines.ToArray()),
                l => l.Any(line => line.StartsWith($"ended    {sessionId}")) || follow.HasExited, TimeSpan.FromSeconds(30));

            if (follow.HasExited) Assert.Fail($"vp sessions --follow exited {follow.ExitCode}: {await follow.StandardError.ReadToEndAsync()}");
            Assert.True(seen.Any(line => line.StartsWith($"ended    {sessionId}  gpt-realtime-2  client_closed")),
                $"no 'ended' line for {sessionId}; seen:\n{string.Join('\n', seen)}");
        }
        finally
        {
            Stop(follow);
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}
