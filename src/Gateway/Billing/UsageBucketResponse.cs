using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

/// <summary>
/// One group of usage: <c>key</c> is the UTC day (yyyy-MM-dd), the model id, the session id or the experiment arm
/// (<c>holdout</c> for subjects outside the experiment's traffic); <c>sessions</c> counts the distinct sessions in it.
/// </summary>
public sealed record UsageBucketResponse(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("tokens")] TokenCountsBody Tokens,
    [property: JsonPropertyName("connection_ms")] long ConnectionMs,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("cost_usd")] string CostUsd,
    [property: JsonPropertyName("sessions")] long Sessions)
{
    [JsonPropertyName("object")] public string Object => "usage.bucket";

    public static UsageBucketResponse From(UsageRow row) =>
        new(row.Key, TokenCountsBody.From(row.Tokens), row.ConnectionMs, row.Events, row.CostUsd, row.Sessions);
}
