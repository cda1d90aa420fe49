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
        try
        {
            var sessionId = await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gpt-realtime-2", "follow me");

            var seen = new List<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!seen.Any(line => line.StartsWith($"ended    {sessionId}")))
            {
                var remaining = deadline - DateTime.UtcNow;
                Assert.True(remaining > TimeSpan.Zero, $"no 'ended' line for {sessionId} within 30 s; seen:\n{string.Join('\n', seen)}");
                // A pipe read cannot be cancelled: bound the wait for it instead.
                var read = follow.StandardOutput.ReadLineAsync();
                Assert.True(await Task.WhenAny(read, Task.Delay(remaining)) == read,
                    $"no 'ended' line for {sessionId} within 30 s; seen:\n{string.Join('\n', seen)}");
                var line = await read;
                Assert.True(line is not null, $"vp sessions --follow stopped: {string.Join('\n', seen)}\n{await follow.StandardError.ReadToEndAsync()}");
                seen.Add(line);
            }
            // Seen live, or first seen already ended if it started and ended between two polls.
            Assert.Contains(seen, line => line.StartsWith($"started  {sessionId}  gpt-realtime-2") || line.StartsWith($"ended    {sessionId}  gpt-realtime-2"));
            Assert.False(follow.HasExited);
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
