using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

/// <summary>One model's usage and cost in a monthly statement.</summary>
public sealed record StatementLineResponse(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("tokens")] TokenCountsBody Tokens,
    [property: JsonPropertyName("connection_ms")] long ConnectionMs,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("cost_usd")] string CostUsd)
{
    public static StatementLineResponse From(StatementLine line) =>
        new(line.Model, TokenCountsBody.From(line.Tokens), line.ConnectionMs, line.Events, line.CostUsd);
}
