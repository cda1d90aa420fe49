using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

/// <summary><c>GET /v1/billing/statements/{yyyy-MM}</c>: the UTC calendar month, one line per model, and the total.</summary>
public sealed record StatementResponse(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("period_start")] DateTimeOffset PeriodStart,
    [property: JsonPropertyName("period_end")] DateTimeOffset PeriodEnd,
    [property: JsonPropertyName("lines")] IReadOnlyList<StatementLineResponse> Lines,
    [property: JsonPropertyName("total_usd")] string TotalUsd)
{
    [JsonPropertyName("object")] public string Object => "billing.statement";

    [JsonPropertyName("currency")] public string Currency => "usd";

    public static StatementResponse From(MonthlyStatement statement) => new(
        $"{statement.Year:D4}-{statement.Month:D2}",
        DateTimeOffset.FromUnixTimeMilliseconds(statement.PeriodStartUnixMs),
        DateTimeOffset.FromUnixTimeMilliseconds(statement.PeriodEndUnixMs),
        [.. statement.Lines.Select(StatementLineResponse.From)],
        statement.TotalUsd);
}
