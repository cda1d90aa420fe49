using VoicePlatform.Contracts.Json;
using System.Globalization;
using System.Text.Json;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.BuiltIns;

/// <summary><c>get_current_time</c>: the current local date and time in an IANA timezone.</summary>
public sealed class CurrentTimeTool(TimeProvider clock) : IBuiltInTool
{
    public string Name => BuiltInTools.GetCurrentTime;

    public bool Loggable => true;

    public BuiltInToolResult Run(JsonElement arguments)
    {
        var timezone = arguments.GetProperty("timezone").GetString() ?? "";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out var zone))
        {
            var error = $"Unknown timezone '{timezone}'. Use an IANA timezone such as Europe/Paris or America/New_York.";
            return new BuiltInToolResult(ToolOutcome.InvalidArguments,
                JsonSerializer.Serialize(new { error = "unknown_timezone", message = error }, WireJson.Options), Error: error);
        }

        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone);
        var output = new
        {
            timezone = zone.Id,
            iso8601 = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            date = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            time = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            day_of_week = local.DayOfWeek.ToString(),
            utc_offset = local.ToString("zzz", CultureInfo.InvariantCulture),
        };
        return new BuiltInToolResult(ToolOutcome.Ok, JsonSerializer.Serialize(output, WireJson.Options));
    }
}
