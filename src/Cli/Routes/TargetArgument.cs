using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;

namespace VoicePlatform.Cli.Routes;

/// <summary>A route or arm target on the command line: a model or route name, or the target's JSON as the API takes it.</summary>
public static class TargetArgument
{
    public static JsonNode Parse(string text, string? instructions = null)
    {
        JsonNode target;
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                target = JsonNode.Parse(text) ?? throw CliException.Usage("The target JSON is null.");
            }
            catch (JsonException e)
            {
                throw CliException.Usage($"The target is not valid JSON: {e.Message}");
            }
        }
        else
        {
            target = new JsonObject { ["model"] = text.Trim() };
        }
        if (instructions is not null)
        {
            if (target is not JsonObject obj || obj["model"] is null)
                throw CliException.Usage("--instructions needs a target naming a model.");
            var session = obj["session"] as JsonObject ?? new JsonObject();
            session["instructions"] = instructions;
            obj["session"] = session;
        }
        return target;
    }
}
