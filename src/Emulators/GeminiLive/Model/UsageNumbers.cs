namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>One usageMetadata payload. Live reports responseTokenCount, not candidatesTokenCount.</summary>
internal readonly record struct UsageNumbers(ModalityTokens Prompt, ModalityTokens Response, int ToolUsePrompt)
{
    public int Total => Prompt.Total + Response.Total + ToolUsePrompt;

    public static UsageNumbers operator +(UsageNumbers a, UsageNumbers b) =>
        new(a.Prompt + b.Prompt, a.Response + b.Response, a.ToolUsePrompt + b.ToolUsePrompt);
}
