using System.Globalization;

namespace VoicePlatform.Console.Gateway;

/// <summary>The filters of <c>GET /v1/sessions</c>; empty values are left out.</summary>
public sealed record SessionFilter
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Model { get; init; }
    public string? Route { get; init; }
    public string? Experiment { get; init; }
    public string? Arm { get; init; }
    public string? EndReason { get; init; }
    public string? Cursor { get; init; }
    public int Limit { get; init; } = 20;

    public Dictionary<string, string?> ToQuery()
    {
        var query = new Dictionary<string, string?>
        {
            ["from"] = From?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["to"] = To?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["model"] = Model, ["route"] = Route, ["experiment"] = Experiment, ["arm"] = Arm, ["end_reason"] = EndReason,
            ["cursor"] = Cursor, ["limit"] = Limit.ToString(CultureInfo.InvariantCulture),
        };
        return query.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value);
    }
}
