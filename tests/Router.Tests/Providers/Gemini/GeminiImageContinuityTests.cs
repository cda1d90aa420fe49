using System.Security.Cryptography;
using System.Text.Json;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Images across a context rebuilt from the conversation: a rebuilt connection gets the session's kept images again as
/// video frames (the emulator counts each frame it receives as video tokens of the next user turn, which the response's
/// usage reports as image tokens), the bound evicts the oldest, and after a restore on another Router (no bytes) the
/// model is told in words that the image is gone.
/// </summary>
public sealed class GeminiImageContinuityTests(ITestOutputHelper output)
{
    private const int TokensPerFrame = 300;
    private const string Unavailable = "[the user shared an image earlier; it is no longer available]";
    private const string UnavailableLog = "no longer available on this Router";

    private static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFB, 0xEF, 0xFF, 0x3E];
    private static readonly string Png = "data:image/png;base64," + Convert.ToBase64String(PngBytes);
    private static readonly string Jpeg = "data:image/jpeg;base64," + Convert.ToBase64String([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46]);

    /// <summary>Handles expire at once at the emulator: every switch is refused its handle and rebuilds from the conversation.</summary>
    private static readonly string[] HandlesRefused = ["GeminiEmulator:ResumptionHandleValidity=00:00:00", $"GeminiEmulator:VideoTokensPerFrame={TokensPerFrame}"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_connection_rebuilt_without_a_handle_gets_the_image_again_before_the_next_turn(bool only31History)
    {
        await using var h = await GeminiHarness.StartAsync(output,
            [.. HandlesRefused, $"GeminiEmulator:Live31ClientContentOnlyAsHistory={only31History}"]);
        await h.SendAsync(UserMessage("item_look", new { type = "input_text", text = "look" }, Image(Png)));
        await h.SendAsync(new { type = "response.create" });
        var first = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Echo: look", GeminiSessionLifecycleTests.TranscriptOf(first));

        await SwitchRebuildingFromHistoryAsync(h);
        var spoken = await SpokenTurnAsync(h);

        Assert.Equal("I heard 1.5 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(spoken));
        Assert.Equal(TokensPerFrame, ImageTokens(spoken));
        // It went up as the image, not as the words that say it is gone.
        Assert.DoesNotContain(h.Logs, l => l.Contains(UnavailableLog, StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Theory]
    [InlineData("Providers:Gemini:Images:KeptPerSession", "1")]
    [InlineData("Providers:Gemini:Images:KeptBytesPerSession", "15")]
    public async Task The_per_session_bound_evicts_the_oldest_image(string setting, string value)
    {
        await using var h = await GeminiHarness.StartAsync(output, HandlesRefused, new() { [setting] = value });
        await h.SendAsync(UserMessage("item_first", Image(Png), new { type = "input_text", text = "alpha" }));
        await h.SendAsync(new { type = "response.create" });
        await h.Sink.WaitForAsync("response.done");
        // The second image (10 bytes) pushes the first (12 bytes) out of a bound of one image or 15 bytes.
        var start = h.Sink.Events.Count;
        await h.SendAsync(UserMessage("item_second", Image(Jpeg)));
        await h.Sink.WaitForAsync("conversation.item.done", start);

        await SwitchRebuildingFromHistoryAsync(h);
        start = h.Sink.Events.Count;
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done", start);
        // The image-only item went up as a frame (no words); the evicted one is said in words, where it was.
        Assert.Equal($"Earlier you said: {Unavailable} alpha", GeminiSessionLifecycleTests.TranscriptOf(recall));
        var spoken = await SpokenTurnAsync(h);
        Assert.Equal(TokensPerFrame, ImageTokens(spoken));
        Assert.Single(h.Logs, l => l.Contains(UnavailableLog, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_restore_from_the_checkpoint_the_model_is_told_the_images_are_gone_and_it_is_logged_once()
    {
        await using var h = await GeminiHarness.StartAsync(output, [$"GeminiEmulator:VideoTokensPerFrame={TokensPerFrame}"]);
        await h.SendAsync(UserMessage("item_a", Image(Png), new { type = "input_text", text = "alpha" }));
        await h.SendAsync(UserMessage("item_b", Image(Jpeg), new { type = "input_text", text = "bravo" }));
        await h.SendAsync(new { type = "response.create" });
        var done = await h.Sink.WaitForAsync("response.done");
        var answered = done.Get("response", "output")!.Value.EnumerateArray().Last().GetProperty("id").GetString();
        await GeminiContinuityTests.WaitUntilAsync(() => h.Checkpoints.State.GetValueOrDefault("gemini_handle_item") == answered);

        // The references went to the checkpoint; the images' bytes did not.
        var references = JsonDocument.Parse(h.Checkpoints.State["gemini_images"]).RootElement;
        Assert.Equal(2, references.GetArrayLength());
        Assert.Equal("item_a", references[0].GetProperty("item_id").GetString());
        Assert.Equal(0, references[0].GetProperty("content_index").GetInt32());
        Assert.Equal("image/png", references[0].GetProperty("media_type").GetString());
        Assert.Equal(PngBytes.Length, references[0].GetProperty("bytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(PngBytes)), references[0].GetProperty("sha256").GetString());
        Assert.Equal("image/jpeg", references[1].GetProperty("media_type").GetString());

        // Another Router: the handle is refused, the context is rebuilt from the checkpoint's history.
        var state = h.Checkpoint().WithProviderState("gemini_handle", "no-such-handle");
        await h.Session.DisposeAsync();
        await h.ResumeAsync(state);
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done");

        // recall names the latest user message before it: item_b, its image told in words where it was.
        Assert.Equal($"Earlier you said: {Unavailable} bravo", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.Single(h.Logs, l => l.Contains(UnavailableLog, StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type is "error" or "session.created");
    }

    private static object Image(string url) => new { type = "input_image", image_url = url };

    private static object UserMessage(string id, params object[] content) =>
        new { type = "conversation.item.create", item = new { id, type = "message", role = "user", content } };

    private static int ImageTokens(RecordedEvent done) =>
        done.Get("response", "usage", "input_token_details")!.Value.GetProperty("image_tokens").GetInt32();

    /// <summary>A setup change makes the session switch connections; the emulator refuses the handle, so the context is rebuilt.</summary>
    private static async Task SwitchRebuildingFromHistoryAsync(GeminiHarness h)
    {
        var start = h.Sink.Events.Count;
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Changed." } });
        await h.Sink.WaitForAsync("session.updated", start);
        // The switch reports no event to the client: its log says when the new connection is in use.
        await GeminiContinuityTests.WaitUntilAsync(() => h.Logs.Any(l => l.Contains("connection #2 ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));
        Assert.Contains(h.Logs, l => l.Contains("context rebuilt on connection #2", StringComparison.Ordinal));
    }

    /// <summary>A spoken turn (server VAD): the emulator adds the video frames it received since the last turn to it.</summary>
    private static async Task<RecordedEvent> SpokenTurnAsync(GeminiHarness h)
    {
        var start = h.Sink.Events.Count;
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(1.5, 24000), TestAudio.Silence(0.8, 24000)), 24000);
        return await h.Sink.WaitForAsync("response.done", start);
    }
}
