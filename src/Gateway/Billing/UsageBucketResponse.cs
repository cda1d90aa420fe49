using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

/// <summary>One group of usage: <c>key</c> is the UTC day (yyyy-MM-dd), the model id or the session id.</summary>
public sealed record UsageBucketResponse(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("tokens")] TokenCountsBody Tokens,
    [property: JsonPropertyName("connection_ms")] long ConnectionMs,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("cost_usd")] string CostUsd)
{
    [JsonPropertyName("object")] public string Object => "usage.bucket";

    public static UsageBucketResponse From(UsageRow row) =>
        new(row.Key, TokenCountsBody.From(row.Tokens), row.ConnectionMs, row.Events, row.CostUsd);
}
