using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary><c>tools</c> (function and MCP tools) and <c>tool_choice</c>, of a session or of one response.</summary>
internal static partial class ToolsParser
{
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    public static RealtimeError? ParseTools(JsonElement v, string at, out JsonArray tools)
    {
        tools = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return RealtimeError.InvalidType(at, "an array", v);
        }
        var i = 0;
        foreach (var tool in v.EnumerateArray())
        {
            var tat = $"{at}[{i++}]";
            if (ParseTool(tool, tat) is { } error)
            {
                return error;
            }
            tools.Add(JsonNode.Parse(tool.GetRawText()));
        }
        return null;
    }

    private static RealtimeError? ParseTool(JsonElement tool, string at)
    {
        if (JsonRead.Object(tool, at) is { } e)
        {
            return e;
        }
        if (!tool.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", ["function", "mcp"], out var type) is { } te)
        {
            return te;
        }
        if (type == "mcp")
        {
            if (JsonRead.OnlyKnown(tool, at, "type", "server_label", "server_url", "connector_id", "authorization", "headers",
                    "allowed_tools", "require_approval", "server_description") is { } unknown)
            {
                return unknown;
            }
            return tool.TryGetProperty("server_label", out var label)
                ? JsonRead.String(label, $"{at}.server_label", out _)
                : RealtimeError.Missing($"{at}.server_label");
        }

        if (JsonRead.OnlyKnown(tool, at, "type", "name", "description", "parameters") is { } unknownField)
        {
            return unknownField;
        }
        if (!tool.TryGetProperty("name", out var nameEl))
        {
            return RealtimeError.Missing($"{at}.name");
        }
        if (JsonRead.String(nameEl, $"{at}.name", out var name) is { } ne)
        {
            return ne;
        }
        if (!FunctionName().IsMatch(name))
        {
            return RealtimeError.InvalidValueMessage($"{at}.name",
                $"Invalid '{at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.");
        }
        if (tool.TryGetProperty("description", out var description))
        {
            if (JsonRead.String(description, $"{at}.description", out var text) is { } de)
            {
                return de;
            }
            if (text.Length > 1024)
            {
                return RealtimeError.StringTooLong($"{at}.description", 1024, text.Length);
            }
        }
        if (tool.TryGetProperty("parameters", out var parameters) && JsonRead.Object(parameters, $"{at}.parameters") is { } pe)
        {
            return pe;
        }
        return null;
    }

    public static RealtimeError? ParseToolChoice(JsonElement v, string at, out JsonNode choice)
    {
        choice = JsonValue.Create("auto");
        if (v.ValueKind == JsonValueKind.String)
        {
            if (JsonRead.Enum(v, at, ToolChoiceModes, out var mode) is { } e)
            {
                return e;
            }
            choice = JsonValue.Create(mode);
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            return RealtimeError.InvalidType(at, "one of a string or an object", v);
        }
        if (!v.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", ["function", "mcp"], out var type) is { } te)
        {
            return te;
        }
        var known = type == "function" ? new[] { "type", "name" } : new[] { "type", "server_label", "name" };
        if (JsonRead.OnlyKnown(v, at, known) is { } unknown)
        {
            return unknown;
        }
        foreach (var required in type == "function" ? new[] { "name" } : new[] { "server_label" })
        {
            if (!v.TryGetProperty(required, out var r))
            {
                return RealtimeError.Missing($"{at}.{required}");
            }
            if (JsonRead.String(r, $"{at}.{required}", out _) is { } re)
            {
                return re;
            }
        }
        choice = JsonNode.Parse(v.GetRawText())!;
        return null;
    }
}
