using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>Setup fields the 3.8 models refuse (error close with a reason naming the field) and what they accept.</summary>
public sealed class Live38SetupTests
{
    [Theory]
    [InlineData(Live38.Model, "'generationConfig':{'thinkingConfig':{'thinkingLevel':'LOW'}}", "thinking_level")]
    [InlineData(Live38.Model, "'proactivity':{'proactiveAudio':false}", "proactive_audio")]
    [InlineData(Live38.Model, "'generationConfig':{'enableAffectiveDialog':true}", "enable_affective_dialog")]
    [InlineData(Live38.Model, "'generationConfig':{'responseModalities':['TEXT']}", "TEXT")]
    [InlineData("projects/p/locations/us-central1/publishers/google/models/gemini-3.8-live", "'generationConfig':{'thinkingConfig':{}}", "thinking_level")]
    [InlineData(Live38.ExtendedThinkingModel, "", "exactly one of thinking_level or thinking_budget")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'includeThoughts':false}}", "exactly one of thinking_level")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'thinkingLevel':'LOW','thinkingBudget':512}}", "exactly one of thinking_level")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'thinkingLevel':'MINIMAL'}}", "MINIMAL")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'thinkingLevel':'HIGH'}},'tools':[{'functionDeclarations':[{'name':'lookup','behavior':'BLOCKING'}]}]", "BLOCKING")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'thinkingLevel':'HIGH'},'enableAffectiveDialog':false}", "enable_affective_dialog")]
    public async Task Refused_setup_closes_1007_with_a_reason_naming_the_field(string model, string extra, string reasonPart)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendSetupAsync(Live38.Setup(model, extra));

        var frames = await client.WaitForCloseAsync();

        Assert.Empty(frames);
        Assert.Equal(1007, client.CloseCode);
        Assert.Contains(reasonPart, client.CloseReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Live38.Model, "'proactivity':{'proactiveAudio':true},'generationConfig':{'responseModalities':['AUDIO']}")]
    [InlineData(Live38.Model, "'tools':[{'functionDeclarations':[{'name':'lookup','behavior':'BLOCKING'}]}]")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'thinkingLevel':'medium'}}")]
    [InlineData(Live38.ExtendedThinkingModel, "'generationConfig':{'thinkingConfig':{'thinkingBudget':1024}},'tools':[{'functionDeclarations':[{'name':'lookup','behavior':'NON_BLOCKING'}]}]")]
    public async Task Accepted_setup_completes(string model, string extra)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(model, extra));

        await client.SendTextAsync("hi");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Contains(frames, f => Live38.HasAudio(f.Json));
    }

    [Fact]
    public async Task The_setup_rejection_close_code_is_a_setting()
    {
        await using var host = await EmulatorHost.StartAsync("Live38:SetupRejectCloseCode=1008");
        await using var client = await host.ConnectAsync();
        await client.SendSetupAsync(Live38.Setup(extra: "'generationConfig':{'responseModalities':['TEXT']}"));

        await client.WaitForCloseAsync();
        Assert.Equal(1008, client.CloseCode);
    }

    [Fact]
    public async Task A_blocking_function_on_3_8_still_holds_the_turn()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Live38.Setup(extra: "'tools':[{'functionDeclarations':[{'name':'lookup','behavior':'BLOCKING'}]}]"));

        await client.SendTextAsync("call lookup {}");
        var id = Live38.CallId([await client.WaitForAsync(j => j.Has("toolCall"))]);
        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(Live38.HasAudio, TimeSpan.FromMilliseconds(500)));

        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"lookup","response":{"output":"42"}}]}}""");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Tool lookup returned: 42", Wire.OutputTranscript(frames));
        Assert.Equal("IDLE", Live38.InteractionStatus(frames[^1].Json));
    }

    [Fact]
    public async Task On_3_1_clientContent_after_setup_closes_1007()
    {
        await using var host = await EmulatorHost.StartAsync("Live31ClientContentOnlyAsHistory=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-3.1-flash-live-preview"}""");

        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"hello"}]}],"turnComplete":true}}""");
        var frames = await client.WaitForCloseAsync();

        Assert.DoesNotContain(frames, f => Live38.HasAudio(f.Json));
        Assert.Equal(1007, client.CloseCode);
    }

    [Fact]
    public async Task On_3_1_clientContent_is_taken_as_initial_history_only()
    {
        await using var host = await EmulatorHost.StartAsync("Live31ClientContentOnlyAsHistory=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync("""{"model":"models/gemini-3.1-flash-live-preview","outputAudioTranscription":{},"historyConfig":{"initialHistoryInClientContent":true}}""");

        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"seeded"}]},{"role":"model","parts":[{"text":"ok"}]}],"turnComplete":true}}""");
        await client.SendTextAsync("recall");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.Equal("Earlier you said: seeded", Wire.OutputTranscript(frames));

        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"more"}]}],"turnComplete":true}}""");
        await client.WaitForCloseAsync();
        Assert.Equal(1007, client.CloseCode);
    }
}
