using System.CommandLine;

namespace VoicePlatform.Cli.Configuration;

/// <summary>Options every command accepts (declared once on the root command, recursive).</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = "Gateway base URL (else VOICEPLATFORM_URL, else .apphost/endpoints.json)",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "Tenant API key (else VOICEPLATFORM_API_KEY, else the dev key in .apphost/endpoints.json)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the server's JSON instead of a table",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(Json);
    }
}
