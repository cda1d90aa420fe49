using System.Text.Json.Nodes;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Sessions;

/// <summary>The columns a session shows in <c>vp sessions</c>.</summary>
public static class SessionRows
{
    public static Table NewTable() => new("ID", "MODEL", "ROUTE", "ARM", "STARTED (UTC)", "DURATION", "END");

    public static void Add(Table table, JsonNode session) =>
        table.Add(JsonText.Cell(session["id"]), JsonText.Cell(session["model"]), JsonText.Cell(session["route"]),
            JsonText.Cell(session["experiment_arm"]), JsonText.UnixTime(session["started_at"]),
            JsonText.Milliseconds(session["duration_ms"]), session["ended_at"] is null ? "live" : JsonText.Cell(session["end_reason"]));
}
