using Microsoft.Extensions.Configuration;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// The Aspire Dashboard on plain HTTP on loopback (no HTTPS development certificate needed, nothing to trust), with
/// its OTLP endpoint, unless the environment says otherwise (<c>ASPNETCORE_URLS</c>,
/// <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>). Ports 18888 (UI) and 18889 (OTLP/gRPC) when free, else free ones (a second
/// AppHost, a test run beside a developer's AppHost), printed in the summary and endpoints.json. Set in code rather than in a launch profile so that running the built
/// AppHost directly (<c>dotnet VoicePlatform.AppHost.dll</c>, as its tests do) behaves like <c>dotnet run</c>.
/// </summary>
public static class DashboardDefaults
{
    public const int Port = 18888;
    public const int OtlpPort = 18889;

    public static void Apply(IConfigurationManager configuration)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = LoopbackUrl(Port),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = LoopbackUrl(OtlpPort),
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
        };
        configuration.AddInMemoryCollection(defaults.Where(d => string.IsNullOrEmpty(configuration[d.Key])));
    }

    private static string LoopbackUrl(int preferredPort) =>
        $"http://127.0.0.1:{(FreePorts.IsFree(preferredPort) ? preferredPort : FreePorts.Next())}";
}
