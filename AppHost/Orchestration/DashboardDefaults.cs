using Microsoft.Extensions.Configuration;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// The Aspire Dashboard on plain HTTP on loopback (no HTTPS development certificate needed, nothing to trust), with
/// its OTLP endpoint, unless the environment says otherwise (<c>ASPNETCORE_URLS</c>,
/// <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>). Set in code rather than in a launch profile so that running the built
/// AppHost directly (<c>dotnet VoicePlatform.AppHost.dll</c>, as its tests do) behaves like <c>dotnet run</c>.
/// </summary>
public static class DashboardDefaults
{
    public const string Url = "http://127.0.0.1:18888";
    public const string OtlpUrl = "http://127.0.0.1:18889";

    public static void Apply(IConfigurationManager configuration)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = Url,
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = OtlpUrl,
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
        };
        configuration.AddInMemoryCollection(defaults.Where(d => string.IsNullOrEmpty(configuration[d.Key])));
    }
}
