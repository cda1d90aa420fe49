using System.Text.Json.Nodes;

namespace VoicePlatform.Cli.Configuration;

/// <summary>
/// The <c>.apphost/endpoints.json</c> a local AppHost writes, found by searching upward from the current directory,
/// so <c>vp</c> works without configuration anywhere inside a checkout that runs the platform.
/// </summary>
public sealed record LocalEndpointsFile(string Path, string? Gateway, string? DevApiKey, string? CaCertificate, string? OperatorKey, string? DevTenantId)
{
    public static LocalEndpointsFile? Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, ".apphost", "endpoints.json");
            if (File.Exists(candidate)) return Read(candidate);
        }
        return null;
    }

    private static LocalEndpointsFile Read(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path)) ?? new JsonObject();
        var ca = json["caCertificate"]?.GetValue<string>();
        // A relative CA path is relative to the repository root, which holds .apphost/.
        if (ca is not null && !System.IO.Path.IsPathRooted(ca))
            ca = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "..", ca));
        return new LocalEndpointsFile(path, json["gateway"]?.GetValue<string>(), json["devApiKey"]?.GetValue<string>(), ca,
            json["operatorKey"]?.GetValue<string>(), json["devTenantId"]?.GetValue<string>());
    }
}
