using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tools;

/// <summary>
/// The platform-tool extension of <c>session.update</c>: entries <c>{"type":"platform","name":"lookup_order"}</c> in
/// <c>session.tools</c> name server-side tools. They are replaced, in place, by ordinary function tools, after the
/// client's own tools; when the client names none, the tenant's default tools are added instead (a client function of
/// the same name wins over a default).
/// </summary>
internal static class SessionUpdateTools
{
    public const string PlatformType = "platform";
    private const string Param = "session.tools";

    /// <summary>The names of the platform entries in <paramref name="tools"/> (malformed entries are reported and skipped).</summary>
    public static List<string> NamedPlatformTools(JsonArray tools, List<RealtimeErrorEvent> errors, string? eventId)
    {
        var named = new List<string>();
        foreach (var entry in tools)
        {
            if (entry is not JsonObject tool || tool["type"].Text() != PlatformType) continue;
            if (tool["name"].Text() is { Length: > 0 } name) named.Add(name);
            else errors.Add(RealtimeErrorEvent.Invalid("invalid_value", "A platform tool needs a 'name'.", Param, eventId));
        }
        return named;
    }

    /// <summary>Rewrites <paramref name="tools"/> to what the provider gets; returns the server-side tools it now holds.</summary>
    public static Dictionary<string, ToolDefinition> Merge(JsonArray tools, IReadOnlyList<string> named, TenantTools tenant,
        List<RealtimeErrorEvent> errors, string? eventId)
    {
        for (var i = tools.Count - 1; i >= 0; i--)
        {
            if (tools[i] is JsonObject tool && tool["type"].Text() == PlatformType) tools.RemoveAt(i);
        }
        var clientNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in tools)
        {
            if (entry is JsonObject tool && tool["name"].Text() is { } name) clientNames.Add(name);
        }

        var installed = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        foreach (var name in named.Count > 0 ? named : tenant.Defaults)
        {
            if (installed.ContainsKey(name)) continue;
            if (!tenant.Tools.TryGetValue(name, out var definition))
            {
                errors.Add(RealtimeErrorEvent.Invalid("invalid_value",
                    $"Unknown platform tool '{name}': it is not registered for this tenant (or is a built-in it has not enabled).", Param, eventId));
                continue;
            }
            if (clientNames.Contains(name))
            {
                // The client declared a function of that name itself: the client answers it.
                if (named.Count > 0)
                    errors.Add(RealtimeErrorEvent.Invalid("invalid_value",
                        $"Platform tool '{name}' has the same name as a function tool in this update; the function tool is kept.", Param, eventId));
                continue;
            }
            tools.Add(TenantTools.FunctionTool(definition));
            installed[name] = definition;
        }
        return installed;
    }
}
