using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Talk;

[Collection(CliCollection.Name)]
public sealed class TalkCommandTests(CliPlatform platform) : IDisposable
{
    private readonly string _directory = TestDirectories.Create("vp-talk");

    public static TheoryData<string> Models => new() { "gpt-realtime-2", "gemini-3.1-flash-live" };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_44k_stereo_wav_is_resampled_streamed_answered_and_the_reply_saved(string model)
    {
        // 1.5 s of tone at 44.1 kHz stereo: sent unconverted it would count as about 5.5 s of 24 kHz mono.
        var input = Path.Combine(_directory, $"in-{model}.wav");
        await File.WriteAllBytesAsync(input, TestWav.Tone(44_100, 2, leadingMs: 300, toneMs: 1500, trailingMs: 700));
        var reply = Path.Combine(_directory, $"reply-{model}.wav");

        var result = await Vp.RunAsync(platform.TenantEnvironment, "talk", "--model", model, "--in", input, "--out", reply, "--transcribe");

        Assert.True(result.ExitCode == 0, result.ToString());
        var heard = Regex.Match(result.Stdout, @"^assistant: I heard (\d+\.\d) seconds of audio\.$", RegexOptions.Multiline);
        Assert.True(heard.Success, result.ToString());
        // The turn holds the tone plus the VAD's padding and end-of-turn silence, never the 3.7-fold length of unconverted audio.
        Assert.InRange(double.Parse(heard.Groups[1].Value, CultureInfo.InvariantCulture), 1.4, 3.2);
        Assert.Matches(@"(?m)^you: \[audio \d+\.\d s\]$", result.Stdout);
        Assert.Matches(@"(?m)^session \S+ \(" + Regex.Escape(model) + @"\)$", result.Stderr);

        var wav = TestWav.Inspect(await File.ReadAllBytesAsync(reply));
        Assert.Equal((1, 24_000, 16), (wav.Channels, wav.SampleRate, wav.Bits));
        // The emulators speak 60 ms per character: "I heard N.N seconds of audio." is about 1.8 s.
        Assert.InRange(wav.Seconds, 1.0, 4.0);
        Assert.True(wav.Rms > 300, $"the reply is silent (RMS {wav.Rms:0})");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Text_is_answered_with_an_echo(string model)
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "talk", "--model", model, "--text", "hello from vp");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("assistant: Echo: hello from vp\n", result.Stdout);
    }

    [Fact]
    public async Task Json_output_is_one_object_with_the_session_transcript_and_reply_length()
    {
        var reply = Path.Combine(_directory, "reply-text.wav");
        var result = await Vp.RunAsync(platform.TenantEnvironment, "talk", "--model", "gpt-realtime-2", "--text", "json please", "--out", reply, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        Assert.Equal("Echo: json please", json["transcript"]!.GetValue<string>());
        Assert.StartsWith("sess_", json["session_id"]!.GetValue<string>());
        Assert.True(json["reply_audio_ms"]!.GetValue<long>() > 500, result.ToString());
        Assert.NotNull(json["usage"]);
        Assert.Equal(1, TestWav.Inspect(await File.ReadAllBytesAsync(reply)).Channels);
    }

    [Fact]
    public async Task A_wrong_key_exits_3()
    {
        var environment = new Dictionary<string, string?>(platform.TenantEnvironment) { ["VOICEPLATFORM_API_KEY"] = "vpk_nobody_wrongsecret" };

        var result = await Vp.RunAsync(environment, "talk", "--model", "gpt-realtime-2", "--text", "hi");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("401", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_model_exits_4_with_the_servers_message()
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "talk", "--model", "no-such-model", "--text", "hi");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("model_not_found", result.Stderr);
        Assert.Contains("no-such-model", result.Stderr);
    }

    [Fact]
    public async Task Neither_or_both_inputs_is_a_usage_error()
    {
        var neither = await Vp.RunAsync(platform.TenantEnvironment, "talk", "--model", "gpt-realtime-2");
        var missingFile = await Vp.RunAsync(platform.TenantEnvironment, "talk", "--model", "gpt-realtime-2", "--in", Path.Combine(_directory, "absent.wav"));

        Assert.True(neither.ExitCode == 2, neither.ToString());
        Assert.Contains("--in", neither.Stderr);
        Assert.True(missingFile.ExitCode == 2, missingFile.ToString());
    }

    public void Dispose() => TestDirectories.TryDelete(_directory);
}
