using System.CommandLine;
using VoicePlatform.Cli.Api;

namespace VoicePlatform.Cli.Recordings;

/// <summary><c>vp recording &lt;session-id&gt; -o x.wav</c>: downloads <c>GET /v1/sessions/{id}/recording</c> (stereo WAV: left caller, right assistant).</summary>
public static class RecordingCommand
{
    private static readonly Argument<string> SessionId = new("session-id") { Description = "The session (sess_…)" };
    private static readonly Option<FileInfo> Output = new("--output", "-o") { Description = "Where to save the WAV", Required = true };

    public static Command Create()
    {
        var command = new Command("recording", "Download a session's recording (GET /v1/sessions/{id}/recording)") { SessionId, Output };
        CommandContext.SetAction(command, async (context, ct) =>
        {
            var target = context.Parse.GetRequiredValue(Output);
            using var api = context.TenantApi();
            var id = Uri.EscapeDataString(context.Parse.GetRequiredValue(SessionId));
            using var response = await api.SendRawAsync(HttpMethod.Get, $"/v1/sessions/{id}/recording", accept: "audio/wav", ct: ct);
            // Written beside the target and moved into place, so a failed download never leaves a partial file under its name.
            var partial = target.FullName + ".partial";
            try
            {
                await using (var file = File.Create(partial))
                    await response.Content.CopyToAsync(file, ct);
                File.Move(partial, target.FullName, overwrite: true);
            }
            catch (IOException e)
            {
                File.Delete(partial);
                throw new CliException(ExitCodes.UsageError, $"Cannot write {target.FullName}: {e.Message}", e);
            }
            var bytes = new FileInfo(target.FullName).Length;
            await context.Error.WriteLineAsync($"saved {target.FullName} ({bytes} bytes)");
            return 0;
        });
        return command;
    }
}
