using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Sessions;

/// <summary>
/// <c>vp sessions --follow</c>: asks for the newest sessions every interval and prints each session when first seen and
/// again when it ends (as a table row, or one JSON object per line with <c>--json</c>), until cancelled.
/// </summary>
public sealed class SessionFollower(PlatformApiClient api, string query, bool json, TextWriter output, TimeSpan interval, TimeProvider time)
{
    private readonly Dictionary<string, bool> _endedById = [];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var page = await api.GetJsonAsync("/v1/sessions" + query, ct);
                // Oldest first, so the output reads in time order.
                foreach (var session in (page["data"]?.AsArray() ?? []).OfType<JsonNode>().Reverse())
                    await ReportAsync(session);
                await Task.Delay(interval, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl-C is how --follow ends
        }
    }

    private async Task ReportAsync(JsonNode session)
    {
        var id = JsonText.Cell(session["id"]);
        var ended = session["ended_at"] is not null;
        var known = _endedById.TryGetValue(id, out var wasEnded);
        if (known && wasEnded == ended) return;
        _endedById[id] = ended;
        if (json)
        {
            await output.WriteLineAsync(session.ToJsonString());
            return;
        }
        var line = ended
            ? $"ended    {id}  {JsonText.Cell(session["model"])}  {JsonText.Cell(session["end_reason"])}  {JsonText.Milliseconds(session["duration_ms"])}"
            : $"started  {id}  {JsonText.Cell(session["model"])}  {JsonText.UnixTime(session["started_at"])}";
        await output.WriteLineAsync(line);
    }
}
