using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;
using VoicePlatform.Cli.Configuration;

namespace VoicePlatform.Cli.Talk;

/// <summary>
/// <c>vp talk --model &lt;id|route&gt; (--in file.wav | --text "…") [--out reply.wav]</c>: one turn of a realtime
/// session through the gateway, with the live transcript, saving the reply as a 24 kHz mono PCM16 WAV.
/// </summary>
public static class TalkCommand
{
    private static readonly Option<string> Model = new("--model", "-m") { Description = "A model id or one of your routes", Required = true };
    private static readonly Option<FileInfo?> In = new("--in", "-i") { Description = "A WAV to say (any rate, any channels; streamed at real-time pace)" };
    private static readonly Option<string?> Text = new("--text", "-t") { Description = "Say this as text instead of audio" };
    private static readonly Option<FileInfo?> Out = new("--out", "-o") { Description = "Save the reply's audio here (WAV, 24 kHz mono PCM16)" };
    private static readonly Option<string?> User = new("--user") { Description = "The subject experiments assign arms by (your end user's id)" };
    private static readonly Option<string?> Instructions = new("--instructions") { Description = "Session instructions" };
    private static readonly Option<bool> Transcribe = new("--transcribe") { Description = "Transcribe the input audio too (printed as 'you: …')" };
    private static readonly Option<bool> Record = new("--record") { Description = "Record this session (download it with 'vp recording')" };
    private static readonly Option<TimeSpan> Timeout = new("--timeout")
    {
        Description = "How long to wait for the reply after the input is sent",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
    };

    public static Command Create()
    {
        var command = new Command("talk", "Say something to a model (a WAV or text) and hear its reply")
        {
            Model, In, Text, Out, User, Instructions, Transcribe, Record, Timeout,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(In) is null) == (result.GetValue(Text) is null))
                result.AddError("Give exactly one of --in <file.wav> or --text \"…\".");
        });
        CommandContext.SetAction(command, async (context, ct) =>
        {
            var parse = context.Parse;
            var request = new TalkRequest(parse.GetRequiredValue(Model), parse.GetValue(User), ReadInput(parse.GetValue(In)), parse.GetValue(Text),
                parse.GetValue(Transcribe), parse.GetValue(Instructions), parse.GetValue(Record), parse.GetValue(Timeout));
            var apiKey = context.Settings.ApiKey ?? throw new CliException(ExitCodes.AuthenticationFailed,
                $"No API key: pass --api-key, set {ConnectionSettingsResolver.ApiKeyVariable}, or run inside a checkout with .apphost/endpoints.json.");

            var printer = new TalkPrinter(context.Out, context.Error, live: !context.Json, interactive: !Console.IsErrorRedirected);
            await using var connection = await RealtimeConnection.ConnectAsync(context.Settings, apiKey, request.Model, request.User, ct);
            var result = await new TalkSession(connection, request, printer, TimeProvider.System).RunAsync(ct);

            var output = parse.GetValue(Out);
            if (output is not null) await File.WriteAllBytesAsync(output.FullName, WavFile.MonoPcm16(result.ReplyAudio, InputAudio.SampleRate), ct);
            if (context.Json)
            {
                await context.Out.WriteLineAsync(new JsonObject
                {
                    ["session_id"] = result.SessionId,
                    ["model"] = request.Model,
                    ["transcript"] = result.Transcript,
                    ["input_transcript"] = result.InputTranscript,
                    ["reply_audio_ms"] = (long)result.ReplyDuration.TotalMilliseconds,
                    ["out"] = output?.FullName,
                    ["usage"] = result.Usage?.DeepClone(),
                }.ToJsonString());
            }
            else
            {
                printer.Status(string.Create(CultureInfo.InvariantCulture, $"reply: {result.ReplyDuration.TotalSeconds:0.0} s of audio")
                    + (output is null ? "" : $", saved to {output.FullName}"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static byte[]? ReadInput(FileInfo? file)
    {
        if (file is null) return null;
        try
        {
            return InputAudio.ToPcm16Mono24k(WavFile.Read(File.ReadAllBytes(file.FullName)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw CliException.Usage($"Cannot read {file.FullName}: {e.Message}");
        }
    }
}
