using System.Security.Cryptography;
using VoicePlatform.AppHost.Certificates;
using VoicePlatform.AppHost.Resources;
using ProjectResource = VoicePlatform.AppHost.Resources.ProjectResource;

namespace VoicePlatform.AppHost.Platform;

/// <summary>
/// The platform's resources and how they are wired, in Aspire's conventions (connection strings as
/// <c>ConnectionStrings__name</c>, endpoints as <c>services__name__endpoint__0</c>). Start order is <see cref="Stages"/>.
/// </summary>
public sealed class PlatformModel
{
    public static readonly string[] OwnedDatabases = ["gateway", "router", "tools", "transcripts", "billing", "insights"];

    private PlatformModel(PlatformOptions options)
    {
        var state = options.StateDirectory;
        var sink = options.Sink;
        Certificates = new DevelopmentCertificates(state);
        OperatorKey = LoadOrCreateOperatorKey(state);

        Postgres = new PostgresResource(state, FreePorts.Next(), sink);
        Redis = new RedisResource(state, FreePorts.Next(), sink);
        RabbitMq = new RabbitMqResource(state, FreePorts.Next(), sink);

        OpenAIEmulator = Project(options, "openai-emulator", "src/Emulators/OpenAIRealtime", "VoicePlatform.Emulators.OpenAIRealtime", grpc: false);
        GeminiEmulator = Project(options, "gemini-emulator", "src/Emulators/GeminiLive", "VoicePlatform.Emulators.GeminiLive", grpc: false);

        Tools = Project(options, "tools", "src/Tools", "VoicePlatform.Tools")
            .WithEnvironment("ConnectionStrings__postgres-tools", Postgres.ConnectionString("tools"));
        // Call recordings: the Gateway writes them, Transcripts deletes them past retention; one directory for both.
        RecordingsDirectory = Path.Combine(state, "recordings");
        Transcripts = Project(options, "transcripts", "src/Transcripts", "VoicePlatform.Transcripts")
            .WithEnvironment("ConnectionStrings__postgres-transcripts", Postgres.ConnectionString("transcripts"))
            .WithEnvironment("Transcripts__Recordings__Directory", RecordingsDirectory);
        Billing = Project(options, "billing", "src/Billing", "VoicePlatform.Billing")
            .WithEnvironment("ConnectionStrings__postgres-billing", Postgres.ConnectionString("billing"));
        // Insights reads each tenant's retention from Transcripts.
        Insights = Project(options, "insights", "src/Insights", "VoicePlatform.Insights")
            .WithEnvironment("ConnectionStrings__postgres-insights", Postgres.ConnectionString("insights"))
            .WithReference(Transcripts);

        Routers = Enumerable.Range(1, Math.Max(1, options.RouterReplicas)).Select(replica =>
        {
            var router = Project(options, $"router-{replica}", "src/Router", "VoicePlatform.Router")
                .WithEnvironment("ConnectionStrings__postgres-router", Postgres.ConnectionString("router"))
                .WithEnvironment("ConnectionStrings__redis", Redis.ConnectionString)
                .WithReference(Tools).WithReference(Billing).WithReference(OpenAIEmulator).WithReference(GeminiEmulator);
            ConfigureProviders(router);
            return router;
        }).ToList();

        var gatewayPort = options.GatewayPort == 0 ? FreePorts.Next() : options.GatewayPort;
        GatewayTlsPort = options.GatewayTlsPort == 0 ? FreePorts.Next() : options.GatewayTlsPort;
        Gateway = GatewayReplica(options, "gateway", gatewayPort, GatewayTlsPort);
        // Further replicas share the database, Redis and Routers (like replicas behind a load balancer), each on its own ports.
        ExtraGateways = Enumerable.Range(2, Math.Max(0, options.GatewayReplicas - 1))
            .Select(replica => GatewayReplica(options, $"gateway-{replica}", FreePorts.Next(), FreePorts.Next())).ToList();

        // The web console: a client of the Gateway's APIs; Redis holds its sign-ins. The one-time sign-in token is new
        // each run; the development key is added once the development tenant exists (PlatformRunner).
        ConsoleSignInToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Console = Project(options, "console", "src/Console", "VoicePlatform.Console", grpc: false)
            .WithEnvironment("ConnectionStrings__redis", Redis.ConnectionString)
            .WithEnvironment("Console__DevSignIn__Token", ConsoleSignInToken)
            .WithReference(Gateway);

        foreach (var project in DotNetProjects)
        {
            project.WithEnvironment("ConnectionStrings__rabbitmq", RabbitMq.ConnectionString);
            foreach (var (name, value) in options.Environment) project.WithEnvironment(name, value);
        }
        OpenAIEmulator.WithEnvironment("ConnectionStrings__rabbitmq", null);
        GeminiEmulator.WithEnvironment("ConnectionStrings__rabbitmq", null);
        Console.WithEnvironment("ConnectionStrings__rabbitmq", null);
    }

    public static PlatformModel Create(PlatformOptions options) => new(options);

    public DevelopmentCertificates Certificates { get; }
    public string OperatorKey { get; }
    public int GatewayTlsPort { get; }

    public PostgresResource Postgres { get; }
    public RedisResource Redis { get; }
    public RabbitMqResource RabbitMq { get; }
    public ProjectResource OpenAIEmulator { get; }
    public ProjectResource GeminiEmulator { get; }
    public ProjectResource Tools { get; }
    public ProjectResource Transcripts { get; }

    /// <summary>Where call recordings are stored (<c>recordings/</c> in the state directory).</summary>
    public string RecordingsDirectory { get; }
    public ProjectResource Billing { get; }
    public ProjectResource Insights { get; }
    /// <summary>Router replicas, named <c>router-1</c>…; the Gateway knows them all as service <c>router</c>.</summary>
    public IReadOnlyList<ProjectResource> Routers { get; }
    public ProjectResource Gateway { get; }

    /// <summary>The web console (<c>src/Console</c>), started after the Gateway.</summary>
    public ProjectResource Console { get; }

    /// <summary>The token of the console's one-time development sign-in link (<see cref="ConsoleSignInUrl"/>).</summary>
    public string ConsoleSignInToken { get; }

    public string ConsoleSignInUrl => $"{Console.HttpUrl}/login/one-time?token={ConsoleSignInToken}";

    /// <summary>Gateway replicas beyond the first (<c>--gateway-replicas</c>), named <c>gateway-2</c>….</summary>
    public IReadOnlyList<ProjectResource> ExtraGateways { get; }

    public IEnumerable<ProjectResource> Services => [Gateway, .. ExtraGateways, .. Routers, Tools, Transcripts, Billing, Insights];

    private IEnumerable<ProjectResource> DotNetProjects => [.. Services, Console, OpenAIEmulator, GeminiEmulator];

    /// <summary>Resources grouped by dependency level; each stage starts in parallel once the previous one is healthy.</summary>
    public IReadOnlyList<IReadOnlyList<PlatformResource>> Stages =>
    [
        [Postgres, Redis, RabbitMq, OpenAIEmulator, GeminiEmulator],
        [Tools, Transcripts, Billing],
        [Insights, .. Routers],
        [Gateway, .. ExtraGateways],
        [Console],
    ];

    private ProjectResource GatewayReplica(PlatformOptions options, string name, int httpPort, int tlsPort) =>
        new ProjectResource(name, AssemblyPath(options, "src/Gateway", "VoicePlatform.Gateway"), httpPort, FreePorts.Next(), options.Sink)
            .WithEnvironment("ConnectionStrings__postgres-gateway", Postgres.ConnectionString("gateway"))
            .WithEnvironment("ConnectionStrings__redis", Redis.ConnectionString)
            .WithEnvironment("Gateway__OperatorKey", OperatorKey)
            .WithEnvironment("Gateway__Recordings__Directory", RecordingsDirectory)
            .WithEnvironment("Kestrel__Endpoints__https__Url", $"https://127.0.0.1:{tlsPort}")
            .WithEnvironment("Kestrel__Endpoints__https__Certificate__Path", Certificates.ServerCertificatePath)
            .WithEnvironment("Kestrel__Endpoints__https__Certificate__KeyPath", Certificates.ServerKeyPath)
            .WithReplicasReference("router", Routers).WithReference(Tools).WithReference(Transcripts).WithReference(Billing).WithReference(Insights);

    /// <summary>Real provider endpoints when their keys are set, the emulators otherwise.</summary>
    private void ConfigureProviders(ProjectResource router)
    {
        var openAIKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        router.WithEnvironment("Providers__OpenAI__BaseUrl", string.IsNullOrEmpty(openAIKey)
            ? $"ws://127.0.0.1:{OpenAIEmulator.HttpPort}/v1" : "wss://api.openai.com/v1");
        router.WithEnvironment("Providers__OpenAI__ApiKey", string.IsNullOrEmpty(openAIKey) ? "emulator-key" : openAIKey);

        var geminiKey = Environment.GetEnvironmentVariable("GEMINI_API_KEY");
        router.WithEnvironment("Providers__Gemini__BaseUrl", string.IsNullOrEmpty(geminiKey)
            ? $"ws://127.0.0.1:{GeminiEmulator.HttpPort}" : "wss://generativelanguage.googleapis.com");
        router.WithEnvironment("Providers__Gemini__ApiKey", string.IsNullOrEmpty(geminiKey) ? "emulator-key" : geminiKey);
    }

    private static ProjectResource Project(PlatformOptions options, string name, string directory, string assembly, bool grpc = true) =>
        new(name, AssemblyPath(options, directory, assembly), FreePorts.Next(), grpc ? FreePorts.Next() : null, options.Sink);

    private static string AssemblyPath(PlatformOptions options, string directory, string assembly) =>
        Path.Combine(options.RepositoryRoot, directory, "bin", options.Configuration, "net10.0", assembly + ".dll");

    public static string LoadOrCreateOperatorKey(string stateDirectory)
    {
        var configured = Environment.GetEnvironmentVariable("Gateway__OperatorKey");
        if (!string.IsNullOrEmpty(configured)) return configured;
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "operator-key");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var key = "vpop_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(path, key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}
