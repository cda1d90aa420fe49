using System.Diagnostics;
using System.Text.Json;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Platform;

/// <summary>
/// Starts the platform stage by stage, waits for health, provisions the development tenant, writes endpoints.json,
/// and stops everything in reverse order. Used by AppHost and by the end-to-end test fixture alike.
/// </summary>
public sealed class PlatformRunner : IAsyncDisposable
{
    private readonly PlatformOptions _options;
    private readonly List<PlatformResource> _started = [];

    public PlatformRunner(PlatformOptions options)
    {
        _options = options;
        Model = PlatformModel.Create(options);
    }

    public PlatformModel Model { get; }

    public PlatformEndpoints? Endpoints { get; private set; }

    public TimeSpan StartupDuration { get; private set; }

    public string EndpointsFilePath => Path.Combine(_options.StateDirectory, "endpoints.json");

    /// <summary>Raised when a resource fails for good after start-up.</summary>
    public event Action<PlatformResource>? ResourceFailed;

    public async Task<PlatformEndpoints> StartAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(_options.StateDirectory);
        Model.Certificates.EnsureCreated();

        (string TenantId, string ApiKey)? developmentTenant = null;
        foreach (var stage in Model.Stages)
        {
            if (stage.Contains(Model.Console))
            {
                // The console's one-time link signs the development tenant in: its key must exist first.
                developmentTenant = await new DevelopmentTenant(_options.StateDirectory, Model.Gateway.HttpUrl, Model.OperatorKey).EnsureAsync(cancellationToken);
                Model.Console.WithEnvironment("Console__DevSignIn__ApiKey", developmentTenant.Value.ApiKey);
            }
            var starting = stage.Select(async resource =>
            {
                resource.Failed += r => ResourceFailed?.Invoke(r);
                lock (_started) _started.Add(resource);
                _options.Sink.Line("apphost", $"starting {resource.Name}");
                await resource.StartAsync(cancellationToken);
                _options.Sink.Line("apphost", $"{resource.Name} is healthy ({resource.DisplayAddress})");
                if (resource == Model.Postgres) await Model.Postgres.EnsureDatabasesAsync(PlatformModel.OwnedDatabases, cancellationToken);
            });
            await Task.WhenAll(starting);
        }

        var (tenantId, apiKey) = developmentTenant ?? await new DevelopmentTenant(_options.StateDirectory, Model.Gateway.HttpUrl, Model.OperatorKey).EnsureAsync(cancellationToken);
        Endpoints = new PlatformEndpoints
        {
            Gateway = Model.Gateway.HttpUrl,
            GatewayTls = $"https://127.0.0.1:{Model.GatewayTlsPort}",
            Console = Model.Console.HttpUrl,
            ConsoleSignIn = Model.ConsoleSignInUrl,
            CaCertificate = Model.Certificates.CaCertificatePath,
            DevApiKey = apiKey,
            DevTenantId = tenantId,
            OperatorKey = Model.OperatorKey,
            Services = Model.Services.Append(Model.Console).ToDictionary(s => s.Name, s => s.HttpUrl),
            Grpc = Model.Services.ToDictionary(s => s.Name, s => s.GrpcUrl!),
            Management = Model.Services.Concat([Model.Console, Model.OpenAIEmulator, Model.GeminiEmulator]).ToDictionary(s => s.Name, s => s.ManagementUrl),
            Emulators = new Dictionary<string, string>
            {
                [Model.OpenAIEmulator.Name] = Model.OpenAIEmulator.HttpUrl,
                [Model.GeminiEmulator.Name] = Model.GeminiEmulator.HttpUrl,
            },
            ConnectionStrings = new Dictionary<string, string>
            {
                ["redis"] = Model.Redis.ConnectionString,
                ["rabbitmq"] = Model.RabbitMq.ConnectionString,
                ["postgres"] = Model.Postgres.ConnectionString("postgres"),
            },
        };
        await File.WriteAllTextAsync(EndpointsFilePath, JsonSerializer.Serialize(Endpoints, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        StartupDuration = stopwatch.Elapsed;
        return Endpoints;
    }

    /// <summary>All resources, for the status table.</summary>
    public IEnumerable<PlatformResource> Resources => Model.Stages.SelectMany(s => s);

    public async Task StopAsync()
    {
        PlatformResource[] toStop;
        lock (_started) toStop = _started.ToArray();
        // Reverse dependency order: Gateway first, backing services last, each stage in parallel.
        foreach (var stage in Model.Stages.Reverse())
        {
            await Task.WhenAll(stage.Where(toStop.Contains).Select(async r =>
            {
                try { await r.StopAsync(); }
                catch (Exception ex) { _options.Sink.Line("apphost", $"stopping {r.Name} failed: {ex.Message}", isError: true); }
            }));
        }
        lock (_started) _started.Clear();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
