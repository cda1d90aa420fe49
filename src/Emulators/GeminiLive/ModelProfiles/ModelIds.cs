namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>The bare model id from a setup <c>model</c> field.</summary>
internal static class ModelIds
{
    private const string ModelsSegment = "models/";

    /// <summary>
    /// <c>models/&lt;id&gt;</c> (Developer API), <c>projects/*/locations/*/publishers/google/models/&lt;id&gt;</c> (Vertex)
    /// and <c>publishers/google/models/&lt;id&gt;</c> (Vertex express) all name <c>&lt;id&gt;</c>.
    /// </summary>
    public static string Normalize(string model)
    {
        if (model.StartsWith(ModelsSegment, StringComparison.Ordinal))
        {
            return model[ModelsSegment.Length..];
        }

        if (model.StartsWith("projects/", StringComparison.Ordinal) || model.StartsWith("publishers/", StringComparison.Ordinal))
        {
            var at = model.LastIndexOf("/" + ModelsSegment, StringComparison.Ordinal);
            if (at >= 0)
            {
                return model[(at + 1 + ModelsSegment.Length)..];
            }
        }

        return model;
    }
}
