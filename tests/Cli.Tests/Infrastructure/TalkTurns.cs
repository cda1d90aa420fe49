namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>A finished <c>vp talk --text</c> turn, for tests of the commands that read sessions afterwards.</summary>
public static class TalkTurns
{
    public static async Task<string> TextTurnAsync(IReadOnlyDictionary<string, string?> environment, string model, string text, params string[] extra)
    {
        var result = await Vp.RunAsync(environment, ["talk", "--model", model, "--text", text, .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"assistant: Echo: {text}", result.Stdout);
        return TalkOutput.SessionId(result);
    }
}
