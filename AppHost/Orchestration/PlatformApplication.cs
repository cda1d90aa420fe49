using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VoicePlatform.AppHost.Certificates;
using VoicePlatform.AppHost.Orchestration.Restarts;
using VoicePlatform.AppHost.Platform;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// The platform as an Aspire application model: backing services from the machine's binaries, the emulators, every
/// service (Router and Gateway replicas as resources of their own), wired with <c>WithReference</c> and ordered with
/// <c>WaitFor</c>. Environment names are the services' contract (see the services' options classes and README).
/// </summary>
public sealed class PlatformApplication
{
    public static readonly string[] OwnedDatabases = ["gateway", "router", "tools", "transcripts", "billing", "insights"];

    private readonly IDistributedApplicationBuilder _builder;
    private readonly PlatformSettings _settings;
    private readonly ProviderSettings _providers;

    private PlatformApplication(IDistributedApplicationBuilder builder, PlatformSettings settings)
    {
        _builder = builder;
        _settings = settings;
        var state = settings.StateDirectory;
        Directory.CreateDirectory(state);
        Certificates = new DevelopmentCertificates(state);
        Certificates.EnsureCreated();
        OperatorKey = LoadOrCreateOperatorKey(state);
        RecordingsDirectory = Path.Combine(state, "recordings");

        Postgres = builder.AddLocalPostgres("postgres", state);
        var databases = OwnedDatabases.ToDictionary(d => d, d => Postgres.AddDatabase($"postgres-{d}", d));
        Redis = builder.AddLocalRedis("redis", state);
        RabbitMq = builder.AddLocalRabbitMq("rabbitmq", state);

        OpenAIEmulator = Service("openai-emulator", "src/Emulators/OpenAIRealtime", "VoicePlatform.Emulators.OpenAIRealtime", grpc: false);
        GeminiEmulator = Service("gemini-emulator", "src/Emulators/GeminiLive", "VoicePlatform.Emulators.GeminiLive", grpc: false);

        Tools = Service("tools", "src/Tools", "VoicePlatform.Tools").WithDatabase(databases["tools"]).WithBus(RabbitMq);
        // Call recordings: the Gateway writes them, Transcripts deletes them past retention; one directory for both.
        Transcripts = Service("transcripts", "src/Transcripts", "VoicePlatform.Transcripts").WithDatabase(databases["transcripts"]).WithBus(RabbitMq)
            .WithEnvironment("Transcripts__Recordings__Directory", RecordingsDirectory);
        Billing = Service("billing", "src/Billing", "VoicePlatform.Billing").WithDatabase(databases["billing"]).WithBus(RabbitMq);
        _providers = ProviderSettings.From(builder, OpenAIEmulator, GeminiEmulator, state);
        _providers.WithCatalog(Billing);
        // Insights reads each tenant's retention from Transcripts, on its periodic job (a gRPC channel connects on first
        // use), so it starts beside Transcripts rather than after it.
        Insights = Service("insights", "src/Insights", "VoicePlatform.Insights").WithDatabase(databases["insights"]).WithBus(RabbitMq)
            .WithReference(Transcripts);

        Routers = Enumerable.Range(1, Math.Max(1, settings.RouterReplicas)).Select(replica =>
            _providers.Apply(Service($"router-{replica}", "src/Router", "VoicePlatform.Router")
                .WithDatabase(databases["router"]).WithBus(RabbitMq).WithReference(Redis, "redis").WaitFor(Redis)
                // Tools is called per session (its channel connects on first use) and the Gateway, which admits
                // sessions, waits for it: the Routers start beside it. Their warm-up dials the providers, so those first.
                .WithReference(Tools).WithReference(OpenAIEmulator).WithReference(GeminiEmulator)
                .WaitFor(OpenAIEmulator).WaitFor(GeminiEmulator))).ToList();

        GatewayTlsPort = settings.GatewayTlsPort == 0 ? Resources.FreePorts.Next() : settings.GatewayTlsPort;
        Gateway = GatewayReplica("gateway", settings.GatewayPort == 0 ? null : settings.GatewayPort, GatewayTlsPort, databases["gateway"]);
        // Further replicas share the database, Redis and Routers (like replicas behind a load balancer), each on its own ports.
        ExtraGateways = Enumerable.Range(2, Math.Max(0, settings.GatewayReplicas - 1))
            .Select(replica => GatewayReplica($"gateway-{replica}", null, Resources.FreePorts.Next(), databases["gateway"])).ToList();

        // The web console: a client of the Gateway's APIs; Redis holds its sign-ins. Its one-time sign-in link is new
        // each run and signs the development tenant in, whose key exists once the Gateway does (asked at the console's start).
        ConsoleSignInToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        DevelopmentTenant = new Lazy<Task<(string TenantId, string ApiKey)>>(() =>
            new DevelopmentTenant(state, Gateway.Url("http"), OperatorKey).EnsureAsync(CancellationToken.None));
        Console = Service("console", "src/Console", "VoicePlatform.Console", grpc: false)
            .WithReference(Redis, "redis").WaitFor(Redis)
            .WithReference(Gateway).WaitFor(Gateway)
            .WithEnvironment("Console__DevSignIn__Token", ConsoleSignInToken)
            .WithEnvironment(async context => context.EnvironmentVariables["Console__DevSignIn__ApiKey"] = (await DevelopmentTenant.Value).ApiKey);

        // A crashed service or server is started again (a Router killed mid-session comes back, as under Kubernetes).
        foreach (var service in DotNetResources) service.WithRestartOnExit(settings.MaxRestarts);
        Postgres.WithRestartOnExit(settings.MaxRestarts);
        Redis.WithRestartOnExit(settings.MaxRestarts);
        RabbitMq.WithRestartOnExit(settings.MaxRestarts);
    }

    public static PlatformApplication Build(IDistributedApplicationBuilder builder, PlatformSettings settings) => new(builder, settings);

    public DevelopmentCertificates Certificates { get; }
    public string OperatorKey { get; }
    public string RecordingsDirectory { get; }
    public int GatewayTlsPort { get; }

    public IResourceBuilder<LocalPostgresResource> Postgres { get; }
    public IResourceBuilder<LocalRedisResource> Redis { get; }
    public IResourceBuilder<LocalRabbitMqResource> RabbitMq { get; }
    public IResourceBuilder<ServiceResource> OpenAIEmulator { get; }
    public IResourceBuilder<ServiceResource> GeminiEmulator { get; }
    public IResourceBuilder<ServiceResource> Tools { get; }
    public IResourceBuilder<ServiceResource> Transcripts { get; }
    public IResourceBuilder<ServiceResource> Billing { get; }
    public IResourceBuilder<ServiceResource> Insights { get; }

    /// <summary>Router replicas, <c>router-1</c>…; the Gateway knows them all as service <c>router</c>.</summary>
    public IReadOnlyList<IResourceBuilder<ServiceResource>> Routers { get; }
    public IResourceBuilder<ServiceResource> Gateway { get; }

    /// <summary>The web console (<c>src/Console</c>), started after the Gateway.</summary>
    public IResourceBuilder<ServiceResource> Console { get; }

    /// <summary>The token of the console's one-time development sign-in link (<see cref="ConsoleSignInUrl"/>).</summary>
    public string ConsoleSignInToken { get; }

    public string ConsoleSignInUrl => $"{Console.Url("http")}/login/one-time?token={ConsoleSignInToken}";

    /// <summary>The development tenant and its key, created once and kept (<c>dev-tenant.json</c>); asked for once per run.</summary>
    public Lazy<Task<(string TenantId, string ApiKey)>> DevelopmentTenant { get; }

    /// <summary>Gateway replicas beyond the first (<c>--gateway-replicas</c>), <c>gateway-2</c>….</summary>
    public IReadOnlyList<IResourceBuilder<ServiceResource>> ExtraGateways { get; }

    /// <summary>The services (not the emulators), as endpoints.json lists them.</summary>
    public IEnumerable<IResourceBuilder<ServiceResource>> Services => [Gateway, .. ExtraGateways, .. Routers, Tools, Transcripts, Billing, Insights];

    public IEnumerable<IResourceBuilder<ServiceResource>> DotNetResources => [.. Services, Console, OpenAIEmulator, GeminiEmulator];

    private IResourceBuilder<ServiceResource> GatewayReplica(string name, int? httpPort, int tlsPort, IResourceBuilder<LocalPostgresDatabaseResource> database)
    {
        var gateway = _providers.WithCatalog(Service(name, "src/Gateway", "VoicePlatform.Gateway", httpPort))
            .WithDatabase(database).WithBus(RabbitMq).WithReference(Redis, "redis").WaitFor(Redis)
            .WithEnvironment("Gateway__OperatorKey", OperatorKey)
            .WithEnvironment("Gateway__Recordings__Directory", RecordingsDirectory)
            .WithFixedEndpoint("https", "https", tlsPort)
            .WithEnvironment("Kestrel__Endpoints__https__Url", ServiceBuilderExtensions.Loopback("https", tlsPort))
            .WithEnvironment("Kestrel__Endpoints__https__Certificate__Path", Certificates.ServerCertificatePath)
            .WithEnvironment("Kestrel__Endpoints__https__Certificate__KeyPath", Certificates.ServerKeyPath);
        // One discovery name for every Router replica: services__router__grpc__0, __1, …
        for (var i = 0; i < Routers.Count; i++)
        {
            gateway.WithEnvironment($"services__router__http__{i}", Routers[i].GetEndpoint("http"))
                .WithEnvironment($"services__router__grpc__{i}", Routers[i].GetEndpoint("grpc"))
                .WaitFor(Routers[i]);
        }
        foreach (var service in new[] { Tools, Transcripts, Billing, Insights }) gateway.WithReference(service).WaitFor(service);
        return gateway;
    }

    private IResourceBuilder<ServiceResource> Service(string name, string directory, string assembly, int? httpPort = null, bool grpc = true) =>
        _builder.AddService(name, Path.Combine(_settings.RepositoryRoot, directory, "bin", _settings.Configuration, "net10.0", assembly + ".dll"), httpPort, grpc);

    /// <summary>The operator key (<c>Gateway__OperatorKey</c> from the environment, else generated once and kept in the state directory).</summary>
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
