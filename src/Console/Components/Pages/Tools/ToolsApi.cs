using System.Text.Json;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Tools;

public sealed record ToolInfo(string Name, string Description, JsonElement Parameters, string WebhookUrl, int TimeoutMs, bool SafeToRetry, bool Loggable, long CreatedAt);

public sealed record CreatedTool(string Name, string SigningSecret);

public sealed record ToolList(IReadOnlyList<ToolInfo> Data);

public sealed record ToolTestResult(string Status, string? Outcome, JsonElement Output, string? Error, long DurationMs, int? HttpStatus, int Attempts);

public sealed record BuiltInTool(string Name, string Description);

public sealed record ToolSettings(IReadOnlyList<string> EnabledBuiltIns, IReadOnlyList<string> DefaultTools, IReadOnlyList<BuiltInTool> AvailableBuiltIns);

/// <summary>Registered webhook tools and the tenant's tool settings: <c>/v1/tools</c>.</summary>
public static class ToolsApi
{
    public static Task<ToolList?> ListToolsAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<ToolList>("/v1/tools", ct);

    /// <param name="definition">The body of <c>POST /v1/tools</c>, only the fields given.</param>
    public static Task<CreatedTool?> RegisterToolAsync(this GatewayApi api, IReadOnlyDictionary<string, object?> definition, CancellationToken ct = default) =>
        api.SendAsync<CreatedTool>(HttpMethod.Post, "/v1/tools", definition, ct);

    public static Task DeleteToolAsync(this GatewayApi api, string name, CancellationToken ct = default) =>
        api.SendAsync<JsonElement>(HttpMethod.Delete, $"/v1/tools/{GatewayApi.Escape(name)}", null, ct);

    public static Task<ToolTestResult?> TestToolAsync(this GatewayApi api, string name, JsonElement arguments, CancellationToken ct = default) =>
        api.SendAsync<ToolTestResult>(HttpMethod.Post, $"/v1/tools/{GatewayApi.Escape(name)}/test", new { arguments }, ct);

    public static Task<ToolSettings?> GetToolSettingsAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<ToolSettings>("/v1/tools/settings", ct);

    public static Task<ToolSettings?> PutToolSettingsAsync(this GatewayApi api, IReadOnlyList<string> enabledBuiltIns, IReadOnlyList<string> defaultTools, CancellationToken ct = default) =>
        api.SendAsync<ToolSettings>(HttpMethod.Put, "/v1/tools/settings", new { enabled_built_ins = enabledBuiltIns, default_tools = defaultTools }, ct);
}
