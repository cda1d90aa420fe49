using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Router.Tools;

/// <summary>What a tenant's sessions may use as server-side tools (<c>ToolRegistry.ListTools</c>), by name.</summary>
internal sealed class TenantTools
{
    public static readonly TenantTools None = new(new Dictionary<string, ToolDefinition>(StringComparer.Ordinal), []);

    private TenantTools(IReadOnlyDictionary<string, ToolDefinition> tools, IReadOnlyList<string> defaults)
    {
        Tools = tools;
        Defaults = defaults;
    }

    public IReadOnlyDictionary<string, ToolDefinition> Tools { get; }

    /// <summary>Tools every session gets when the client names none.</summary>
    public IReadOnlyList<string> Defaults { get; }

    public static TenantTools From(ListToolsResponse response)
    {
        var tools = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        foreach (var tool in response.Tools) tools[tool.Name] = tool;
        return new TenantTools(tools, [.. response.DefaultTools.Where(tools.ContainsKey)]);
    }

    /// <summary>The tool as the model sees it: an ordinary OpenAI function tool.</summary>
    public static JsonObject FunctionTool(ToolDefinition tool) => new()
    {
        ["type"] = "function",
        ["name"] = tool.Name,
        ["description"] = tool.Description,
        ["parameters"] = tool.ParametersJson.Length == 0
            ? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() }
            : JsonNode.Parse(tool.ParametersJson),
    };
}
