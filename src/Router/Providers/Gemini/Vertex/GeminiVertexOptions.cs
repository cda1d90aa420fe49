namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// <c>Providers:&lt;Name&gt;:Vertex</c>: where a Gemini instance with <c>Platform=vertex</c> reaches Vertex AI and how it
/// signs in. Either a service-account key file (OAuth bearer tokens, refreshed before they expire) with the project and
/// location, or express mode: no project, the instance's <c>ApiKey</c> sent as <c>x-goog-api-key</c>.
/// </summary>
public sealed class GeminiVertexOptions
{
    /// <summary>Google Cloud project id; empty takes the key file's <c>project_id</c>. Not used in express mode.</summary>
    public string Project { get; set; } = "";

    /// <summary>
    /// <c>global</c>, a region (<c>us-central1</c>, <c>europe-west4</c>) or a multi-region (<c>us</c>, <c>eu</c>): picks
    /// the endpoint host (data residency) and goes into the model path.
    /// </summary>
    public string Location { get; set; } = "global";

    /// <summary>Path of a service-account JSON key file (as the Cloud console issues it). Never logged.</summary>
    public string ServiceAccountKeyFile { get; set; } = "";

    /// <summary>Why these settings cannot work, or null. <paramref name="hasApiKey"/>: express mode's key is set.</summary>
    public string? ValidationError(bool hasApiKey) =>
        ServiceAccountKeyFile.Length == 0 && !hasApiKey
            ? "Vertex needs Vertex:ServiceAccountKeyFile (OAuth) or ApiKey (express mode)."
            : ServiceAccountKeyFile.Length > 0 && !File.Exists(ServiceAccountKeyFile)
                ? $"Vertex:ServiceAccountKeyFile '{ServiceAccountKeyFile}' does not exist."
                : Location.Length == 0 ? "Vertex:Location must not be empty." : null;

    /// <summary>The Vertex AI host of <see cref="Location"/> (the SDKs' rule).</summary>
    public string Host => Location switch
    {
        "global" => "aiplatform.googleapis.com",
        "us" or "eu" => $"aiplatform.{Location}.rep.googleapis.com",
        _ => $"{Location}-aiplatform.googleapis.com",
    };
}
