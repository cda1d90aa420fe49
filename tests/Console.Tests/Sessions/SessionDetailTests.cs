using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;

namespace VoicePlatform.Console.Tests.Sessions;

/// <summary>A recorded session in the browser: the player, the synced transcript, downloads, and tenant isolation.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class SessionDetailTests(ConsolePlatform platform)
{
    private const string Player = "audio[data-session-player]";

    [Fact]
    public async Task The_recording_loads_with_the_wavs_duration_and_a_transcript_line_seeks_it()
    {
        var sessionId = await platform.DevSessionAsync();
        using var gateway = RecordedSessions.Gateway(platform, platform.Endpoints.DevApiKey);
        var wavSeconds = WavHeader.DurationSeconds(await gateway.GetByteArrayAsync($"/v1/sessions/{sessionId}/recording"));

        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync($"/sessions/{sessionId}");

        await browser.Page.WaitForFunctionAsync($"() => {{ const a = document.querySelector('{Player}'); return a && a.readyState >= 1 && isFinite(a.duration); }}");
        var duration = await browser.Page.Locator(Player).EvaluateAsync<double>("a => a.duration");
        Assert.True(Math.Abs(duration - wavSeconds) < 0.05, $"<audio> duration {duration:0.000} s, WAV {wavSeconds:0.000} s");

        // The last line starts well into the call: seeking there needs the proxy's Range support.
        var line = browser.Page.Locator("[data-testid=transcript] li").Last;
        var startSeconds = long.Parse((await line.GetAttributeAsync("data-start-ms"))!, CultureInfo.InvariantCulture) / 1000.0;
        Assert.True(startSeconds > 0.5, $"the last line starts at {startSeconds} s");
        await line.GetByRole(AriaRole.Button).ClickAsync();

        await browser.Page.WaitForFunctionAsync(
            $"s => {{ const t = document.querySelector('{Player}').currentTime; return t >= s - 0.01 && t < s + 1.5; }}", startSeconds);
        await Assertions.Expect(line).ToHaveClassAsync(PlayingClass());
        await Assertions.Expect(line).ToHaveAttributeAsync("aria-current", "true");
        await browser.Page.Locator(Player).EvaluateAsync("a => a.pause()");
        await browser.ScreenshotAsync("console-session-detail.png");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_wav_and_vtt_downloads_come_through_the_console()
    {
        var sessionId = await platform.DevSessionAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        var vtt = await browser.Context.APIRequest.GetAsync(browser.Url($"/sessions/{sessionId}/transcript.vtt"));
        Assert.Equal(200, vtt.Status);
        Assert.StartsWith("WEBVTT", await vtt.TextAsync());
        var range = await browser.Context.APIRequest.GetAsync(browser.Url($"/sessions/{sessionId}/recording.wav"),
            new() { Headers = new Dictionary<string, string> { ["Range"] = "bytes=0-11" } });
        Assert.Equal(206, range.Status);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString((await range.BodyAsync())[..4]));
    }

    [Fact]
    public async Task Another_tenant_cannot_open_the_session_by_url()
    {
        var sessionId = await platform.DevSessionAsync();
        var otherKey = await platform.CreateTenantKeyAsync("console-other-tenant");
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(otherKey);

        var page = await browser.GotoAsync($"/sessions/{sessionId}");

        Assert.Equal((int)HttpStatusCode.NotFound, page!.Status);
        await Assertions.Expect(browser.Page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.GetByTestId("transcript")).ToHaveCountAsync(0);
        var recording = await browser.Context.APIRequest.GetAsync(browser.Url($"/sessions/{sessionId}/recording.wav"));
        Assert.Equal(404, recording.Status);
        await browser.GotoAsync("/sessions");
        await Assertions.Expect(browser.Page.GetByText(sessionId)).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"\bplaying\b")]
    private static partial Regex PlayingClass();
}
