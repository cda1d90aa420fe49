using System.Text.Json;

namespace VoicePlatform.Console.Gateway;

/// <summary>The Gateway's JSON: snake_case names, as in its OpenAPI document.</summary>
public static class GatewayJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
