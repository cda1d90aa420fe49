using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>
/// 2.5 native audio (reference §4): affective dialog and proactivity are v1alpha fields on the Developer API
/// (<c>AlphaFieldsNeedV1Alpha</c>), thinking goes by budget, and the thinking setting shows in thoughtsTokenCount.
/// </summary>
public sealed class NativeAudio25SetupTests
{
    private const string AlphaPath = "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent";
    private const string AlphaFields = "'generationConfig':{'thinkingConfig':{'thinkingBudget':0},'enableAffectiveDialog':true},'proactivity':{'proactiveAudio':false}";

    [Fact]
    public async Task Affective_dialog_and_proactivity_are_accepted_on_v1alpha()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync(path: AlphaPath);
        await client.SetupAsync(Live38.Setup(Wire.NativeAudioModel, AlphaFields));

        await client.SendTextAsync("hi");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(frames, f => Live38.HasAudio(f.Json));
    }

    [Theory]
    [InlineData("'generationConfig':{'enableAffectiveDialog':true}", "enableAffectiveDialog")]
    [InlineData("'proactivity':{'proactiveAudio':true}", "proactivity")]
    public async Task On_v1beta_they_are_unknown_fields_closing_1007(string extra, string field)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendSetupAsync(Live38.Setup(Wire.NativeAudioModel, extra));

        var frames = await client.WaitForCloseAsync();

        Assert.Empty(frames);
        Assert.Equal(1007, client.CloseCode);
        Assert.Contains($"Unknown name \"{field}\"", client.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_setting_off_v1beta_accepts_them()
    {
        await using var host = await EmulatorHost.StartAsync("AlphaFieldsNeedV1Alpha=false");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(Wire.NativeAudioModel, AlphaFields));

        await client.SendTextAsync("hi");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(frames, f => Live38.HasAudio(f.Json));
    }

    [Theory]
    [InlineData("'thinkingLevel':'LOW'", "Thinking level is not supported")]
    [InlineData("'thinkingBudget':30000", "thinking_budget")]
    [InlineData("'thinkingBudget':-2", "thinking_budget")]
    public async Task A_thinking_level_or_a_budget_out_of_range_closes_1007(string thinking, string reasonPart)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendSetupAsync(Live38.Setup(Wire.NativeAudioModel, $"'generationConfig':{{'thinkingConfig':{{{thinking}}}}}"));

        await client.WaitForCloseAsync();

        Assert.Equal(1007, client.CloseCode);
        Assert.Contains(reasonPart, client.CloseReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("'generationConfig':{'thinkingConfig':{'thinkingBudget':0}}", 0)]
    [InlineData("'generationConfig':{'thinkingConfig':{'thinkingBudget':-1}}", 136)]
    [InlineData("'generationConfig':{'thinkingConfig':{'thinkingBudget':1024}}", 16)]
    [InlineData("'generationConfig':{'thinkingConfig':{'thinkingBudget':24576}}", 384)]
    public async Task The_budget_shows_in_thoughtsTokenCount(string extra, int thoughts)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(Wire.NativeAudioModel, extra));

        await client.SendTextAsync("hi");
        var usage = (await client.WaitForAsync(Wire.IsTurnComplete)).Json.GetProperty("usageMetadata");
        Assert.Equal(thoughts, usage.TryGetProperty("thoughtsTokenCount", out var t) ? t.GetInt32() : 0);
    }

    [Theory]
    [InlineData("LOW", 68)]
    [InlineData("MEDIUM", 136)]
    [InlineData("HIGH", 272)]
    public async Task The_extended_thinking_level_shows_in_the_answers_thoughtsTokenCount(string level, int thoughts)
    {
        await using var host = await EmulatorHost.StartAsync("Live38:ThinkingTime=00:00:00.050");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(Live38.ExtendedThinkingModel, $"'generationConfig':{{'thinkingConfig':{{'thinkingLevel':'{level}'}}}}"));

        await client.SendTextAsync("hi");
        await client.WaitForAsync(Wire.IsTurnComplete); // the filler
        var usage = (await client.WaitForAsync(Wire.IsTurnComplete)).Json.GetProperty("usageMetadata");
        Assert.Equal(thoughts, usage.GetProperty("thoughtsTokenCount").GetInt32());
    }
}
