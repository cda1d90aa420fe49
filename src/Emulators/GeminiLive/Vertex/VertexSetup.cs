using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// The Vertex-only parts of a setup, read before the common setup parser sees it:
/// <list type="bullet">
/// <item><c>model</c>: <c>projects/{p}/locations/{l}/publishers/google/models/{id}</c>, or the express form
/// <c>publishers/google/models/{id}</c>. The Developer API's <c>models/{id}</c> or an id not published on Vertex closes
/// 1008 <c>Publisher model … was not found</c> (as reported for 3.8 before its Vertex rollout).</item>
/// <item><c>explicitVadSignal</c>: the server reports its VAD's start and end of speech (a Vertex-only field; the
/// Developer API refuses it as an unknown field).</item>
/// </list>
/// </summary>
internal static partial class VertexSetup
{
    private const string ExplicitVadSignal = "explicitVadSignal";

    [GeneratedRegex("^(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/(?<id>[^/]+)$")]
    private static partial Regex ModelPattern();

    /// <returns>
    /// The setup as the Developer API would have it (<c>model</c> = <c>models/{id}</c>, Vertex-only fields taken out),
    /// or null with <paramref name="error"/> set.
    /// </returns>
    public static JsonElement? Normalise(
        JsonElement setup, VertexOptions vertex, IReadOnlyList<string> allModels, out bool explicitVadSignal, out CloseDirective? error)
    {
        error = null;
        explicitVadSignal = false;
        if (setup.ValueKind != JsonValueKind.Object)
        {
            return setup; // the setup parser closes 1007
        }

        var rewritten = JsonNode.Parse(setup.GetRawText())!.AsObject();
        if (setup.TryGetProperty(ExplicitVadSignal, out var signal))
        {
            if (signal.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = CloseDirective.Invalid($"Invalid value at 'setup.explicit_vad_signal' ({signal.ValueKind}), {signal.GetRawText()}");
                return null;
            }

            explicitVadSignal = signal.ValueKind == JsonValueKind.True;
            rewritten.Remove(ExplicitVadSignal);
        }

        if (setup.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } model)
        {
            var match = ModelPattern().Match(model);
            var id = match.Success ? match.Groups["id"].Value : null;
            if (id is null || !vertex.Serves(id) || (allModels.Count > 0 && !allModels.Contains(id, StringComparer.Ordinal)))
            {
                error = CloseDirective.Policy(NotFound(model));
                return null;
            }

            rewritten["model"] = "models/" + id;
        }

        // No model: the setup parser closes 1007 as it does on the Developer API.
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
