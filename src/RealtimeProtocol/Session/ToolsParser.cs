using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VoicePlatform.RealtimeProtocol;

/// <summary><c>session.tools</c> (function tools) and <c>session.tool_choice</c>.</summary>
public static partial class ToolsParser
{
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    public static ClientError? ParseTools(JsonElement v, string at, out JsonArray tools)
    {
        tools = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return ClientError.InvalidType(at, "an array", v);
        }

        var i = 0;
        foreach (var tool in v.EnumerateArray())
        {
            if (ParseTool(tool, $"{at}[{i++}]") is { } error)
            {
                return error;
            }

            tools.Add(JsonNode.Parse(tool.GetRawText()));
        }

        return null;
    }

    private static ClientError? ParseTool(JsonElement tool, string at)
    {
        if (ClientJson.Object(tool, at) is { } e)
        {
            return e;
        }

        if (!tool.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing($"{at}.type");
        }

        // Function tools only: MCP tools need a provider that reaches MCP servers itself, and a translator whose provider
        // does would pass them through rather than parse them here.
        if (ClientJson.Enum(typeEl, $"{at}.type", ["function"], out _) is { } te)
        {
            return te;
        }

        if (ClientJson.OnlyKnown(tool, at, "type", "name", "description", "parameters") is { } unknown)
        {
            return unknown;
        }

        if (!tool.TryGetProperty("name", out var nameEl))
        {
            return ClientError.Missing($"{at}.name");
        }

        if (ClientJson.String(nameEl, $"{at}.name", out var name) is { } ne)
        {
            return ne;
        }

        if (!FunctionName().IsMatch(name))
        {
            return ClientError.InvalidValueMessage($"{at}.name",
                $"Invalid '{at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.");
        }

        if (tool.TryGetProperty("description", out var description))
        {
            if (ClientJson.String(description, $"{at}.description", out var text) is { } de)
            {
                return de;
            }

            if (text.Length > 1024)
            {
                return new ClientError("string_above_max_length",
                    $"Invalid '{at}.description': string too long. Expected a string with maximum length 1024, but got a string with length {text.Length} instead.",
                    $"{at}.description");
            }
        }

        return tool.TryGetProperty("parameters", out var parameters) ? ClientJson.Object(parameters, $"{at}.parameters") : null;
    }

    public static ClientError? ParseToolChoice(JsonElement v, string at, out JsonNode choice)
    {
        choice = JsonValue.Create("auto");
        if (v.ValueKind == JsonValueKind.String)
        {
            if (ClientJson.Enum(v, at, ToolChoiceModes, out var mode) is { } e)
            {
                return e;
            }

            choice = JsonValue.Create(mode);
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            return ClientError.InvalidType(at, "one of a string or an object", v);
        }

        if (ClientJson.OnlyKnown(v, at, "type", "name") is { } unknown)
        {
            return unknown;
        }

        if (!v.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing($"{at}.type");
        }

        if (ClientJson.Enum(typeEl, $"{at}.type", ["function"], out _) is { } te)
        {
            return te;
        }

        if (!v.TryGetProperty("name", out var nameEl))
        {
            return ClientError.Missing($"{at}.name");
        }

        if (ClientJson.String(nameEl, $"{at}.name", out _) is { } ne)
        {
            return ne;
        }

        choice = JsonNode.Parse(v.GetRawText())!;
        return null;
    }
}
