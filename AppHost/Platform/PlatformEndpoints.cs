using System.Text.Json.Serialization;

namespace VoicePlatform.AppHost.Platform;

/// <summary>What <c>.apphost/endpoints.json</c> holds: where everything listens and a development key.</summary>
public sealed record PlatformEndpoints
{
    [JsonPropertyName("gateway")] public required string Gateway { get; init; }
    [JsonPropertyName("gatewayTls")] public required string GatewayTls { get; init; }
    /// <summary>The web console's base URL.</summary>
    [JsonPropertyName("console")] public required string Console { get; init; }
    /// <summary>The console's one-time development sign-in link (signs the development tenant in once).</summary>
    [JsonPropertyName("consoleSignIn")] public required string ConsoleSignIn { get; init; }
    [JsonPropertyName("caCertificate")] public required string CaCertificate { get; init; }
    [JsonPropertyName("devApiKey")] public required string DevApiKey { get; init; }
    [JsonPropertyName("devTenantId")] public required string DevTenantId { get; init; }
    [JsonPropertyName("operatorKey")] public required string OperatorKey { get; init; }
    [JsonPropertyName("services")] public required Dictionary<string, string> Services { get; init; }
    [JsonPropertyName("grpc")] public required Dictionary<string, string> Grpc { get; init; }
    /// <summary>Management URL (/health, /alive, /metrics) of every service and emulator, by resource name.</summary>
    [JsonPropertyName("management")] public required Dictionary<string, string> Management { get; init; }
    [JsonPropertyName("emulators")] public required Dictionary<string, string> Emulators { get; init; }
    [JsonPropertyName("connectionStrings")] public required Dictionary<string, string> ConnectionStrings { get; init; }
    /// <summary>The Aspire Dashboard's URL (resources, logs, traces, metrics).</summary>
    [JsonPropertyName("dashboard"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Dashboard { get; init; }
}
