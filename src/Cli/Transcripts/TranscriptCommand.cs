using System.CommandLine;

namespace VoicePlatform.Cli.Transcripts;

/// <summary><c>vp transcript &lt;session-id&gt; [--vtt]</c>: <c>GET /v1/sessions/{id}/transcript</c> as text, WebVTT or (<c>--json</c>) JSON.</summary>
public static class TranscriptCommand
{
    private static readonly Argument<string> SessionId = new("session-id") { Description = "The session (sess_…)" };
    private static readonly Option<bool> Vtt = new("--vtt") { Description = "WebVTT captions instead of plain text" };

    public static Command Create()
    {
        var command = new Command("transcript", "Print a session's transcript (GET /v1/sessions/{id}/transcript)") { SessionId, Vtt };
        CommandContext.SetAction(command, async (context, ct) =>
        {
            var format = context.Json ? "json" : context.Parse.GetValue(Vtt) ? "vtt" : "text";
            using var api = context.TenantApi();
            var id = Uri.EscapeDataString(context.Parse.GetRequiredValue(SessionId));
            var body = await api.SendAsync(HttpMethod.Get, $"/v1/sessions/{id}/transcript?format={format}", ct: ct);
            await context.Out.WriteAsync(body.EndsWith('\n') ? body : body + "\n");
            return 0;
        });
        return command;
    }
}
