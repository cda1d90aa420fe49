using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// Vertex setup <c>model</c>: <c>projects/{p}/locations/{l}/publishers/google/models/{id}</c>, or the express form
/// <c>publishers/google/models/{id}</c>. The Developer API's <c>models/{id}</c> or an id not published on Vertex
/// closes 1008 <c>Publisher model … was not found</c> (as reported for 3.8 before its Vertex rollout).
/// </summary>
internal static partial class VertexModelName
{
    [GeneratedRegex("^(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/(?<id>[^/]+)$")]
    private static partial Regex Pattern();

    /// <summary>The setup with <c>model</c> rewritten to <c>models/{id}</c>, so the rest of the setup reads as on the Developer API.</summary>
    public static JsonElement? Normalise(JsonElement setup, VertexOptions vertex, IReadOnlyList<string> allModels, out CloseDirective? error)
    {
        error = null;
        if (!setup.TryGetProperty("model", out var m) || m.ValueKind != JsonValueKind.String || m.GetString() is not { Length: > 0 } model)
        {
            return setup; // no model: the setup parser closes 1007 as it does on the Developer API
        }

        var match = Pattern().Match(model);
        var id = match.Success ? match.Groups["id"].Value : null;
        if (id is null || !vertex.Serves(id) || (allModels.Count > 0 && !allModels.Contains(id, StringComparer.Ordinal)))
        {
            error = CloseDirective.Policy(NotFound(model));
            return null;
        }

        var rewritten = JsonNode.Parse(setup.GetRawText())!.AsObject();
        rewritten["model"] = "models/" + id;
        return JsonSerializer.SerializeToElement(rewritten);
    }

    /// <summary>Vertex's text; a long resource name is shortened so "was not found" survives the 123-byte reason cut.</summary>
    private static string NotFound(string model)
    {
        var reason = $"Publisher model `{model}` was not found or your project does not have access to it.";
        if (reason.Length <= 123)
        {
            return reason;
        }

        var slash = model.LastIndexOf('/');
        return $"Publisher model `{model[(slash + 1)..]}` was not found or your project does not have access to it.";
    }
}
