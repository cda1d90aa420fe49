using System.Text.RegularExpressions;

namespace VoicePlatform.Infra.Tests.Settings;

/// <summary>
/// The settings a service cannot start without, read from its source: the ServiceDefaults integrations it calls
/// (each throws at start-up when its connection string is missing) and the services it calls through service
/// discovery (<c>http://_grpc.NAME</c> resolves <c>services:NAME:grpc</c>, <c>http://_http.NAME</c> <c>services:NAME:http</c>).
/// </summary>
public static partial class StartupRequirements
{
    public static IReadOnlySet<string> Of(ServiceProject project)
    {
        var source = project.Source;
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in PostgresDatabase().Matches(source)) required.Add($"ConnectionStrings__{m.Groups[1].Value}");
        if (Redis().IsMatch(source)) required.Add("ConnectionStrings__redis");
        if (MessageBus().IsMatch(source)) required.Add("ConnectionStrings__rabbitmq");
        foreach (Match m in DiscoveredService().Matches(source)) required.Add($"services__{m.Groups[2].Value}__{m.Groups[1].Value}__0");
        return required;
    }

    [GeneratedRegex(@"\.AddPostgresDatabase\(\s*""([^""]+)""")]
    private static partial Regex PostgresDatabase();

    [GeneratedRegex("""\.AddRedis\(\s*\)""")]
    private static partial Regex Redis();

    [GeneratedRegex("""\.AddMessageBus\(""")]
    private static partial Regex MessageBus();

    [GeneratedRegex("""http://_(grpc|http)\.([a-z0-9-]+)""")]
    private static partial Regex DiscoveredService();
}
