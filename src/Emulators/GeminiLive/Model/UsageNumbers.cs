namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>One usageMetadata payload. Live reports responseTokenCount, not candidatesTokenCount.</summary>
/// <param name="Thoughts">thoughtsTokenCount; not part of totalTokenCount, as in the 3.8 capture (522 + 42 = 564, 136 thoughts).</param>
internal readonly record struct UsageNumbers(ModalityTokens Prompt, ModalityTokens Response, int ToolUsePrompt, int Thoughts = 0)
{
    public int Total => Prompt.Total + Response.Total + ToolUsePrompt;

    public static UsageNumbers operator +(UsageNumbers a, UsageNumbers b) =>
        new(a.Prompt + b.Prompt, a.Response + b.Response, a.ToolUsePrompt + b.ToolUsePrompt, a.Thoughts + b.Thoughts);
}
