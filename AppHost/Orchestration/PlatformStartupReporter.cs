using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using VoicePlatform.AppHost.Platform;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// Once every resource is healthy: provisions the development tenant, writes <c>endpoints.json</c> and prints the
/// summary (resources, Gateway, dev key, dashboard and its login link). A resource that fails to start stops AppHost
/// with exit code 1.
/// </summary>
public sealed class PlatformStartupReporter(
    PlatformApplication platform,
    PlatformSettings settings,
    ResourceNotificationService notifications,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private readonly TaskCompletionSource<PlatformEndpoints> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string EndpointsFilePath => Path.Combine(settings.StateDirectory, "endpoints.json");

    /// <summary>Set when start-up failed; Program returns it.</summary>
    public static int ExitCode { get; private set; }

    /// <summary>The endpoints once everything is healthy and endpoints.json is written (what a test fixture waits for).</summary>
    public Task<PlatformEndpoints> Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(WatchedResources().Select(name =>
                notifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, stoppingToken)));
            var (tenantId, apiKey) = await platform.DevelopmentTenant.Value.WaitAsync(stoppingToken);
            var endpoints = Endpoints(tenantId, apiKey);
            await File.WriteAllTextAsync(EndpointsFilePath, JsonSerializer.Serialize(endpoints, new JsonSerializerOptions { WriteIndented = true }), stoppingToken);
            ResourceTable.Print(Rows(), endpoints, LoginUrl(), EndpointsFilePath, _sinceStart.Elapsed);
            _ready.TrySetResult(endpoints);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _ready.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            Console.Error.WriteLine($"apphost: start-up failed: {ex.Message}");
            ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    /// <summary>Every resource that runs a process (not parameters, databases or the one-shot initdb).</summary>
    private IEnumerable<string> WatchedResources() =>
        [platform.Postgres.Resource.Name, platform.Redis.Resource.Name, platform.RabbitMq.Resource.Name, .. platform.DotNetResources.Select(r => r.Resource.Name)];

    private IEnumerable<(string Name, string State, string Address)> Rows() =>
        WatchedResources().Select(name => (name, notifications.TryGetCurrentState(name, out var current) ? current.Snapshot.State?.Text ?? "?" : "?", Address(name)));

    private string Address(string name)
    {
        var service = platform.DotNetResources.FirstOrDefault(r => r.Resource.Name == name);
        if (service is null)
        {
            var endpoint = new IResourceWithEndpoints[] { platform.Postgres.Resource, platform.Redis.Resource, platform.RabbitMq.Resource }
                .Single(r => r.Name == name).Annotations.OfType<EndpointAnnotation>().First();
            return endpoint.UriScheme == "tcp" ? $"127.0.0.1:{endpoint.Port}" : $"{endpoint.UriScheme}://127.0.0.1:{endpoint.Port}";
        }
        var address = service.Url("http");
        if (HasEndpoint(service, "grpc")) address += $" (grpc {service.Url("grpc")})";
        return address + $" (management {service.Url("management")})";
    }

    private PlatformEndpoints Endpoints(string tenantId, string apiKey) => new()
    {
        Gateway = platform.Gateway.Url("http"),
        GatewayTls = $"https://127.0.0.1:{platform.GatewayTlsPort}",
        Console = platform.Console.Url("http"),
        ConsoleSignIn = platform.ConsoleSignInUrl,
        CaCertificate = platform.Certificates.CaCertificatePath,
        DevApiKey = apiKey,
        DevTenantId = tenantId,
        OperatorKey = platform.OperatorKey,
        Services = platform.Services.Append(platform.Console).ToDictionary(s => s.Resource.Name, s => s.Url("http")),
        Grpc = platform.Services.ToDictionary(s => s.Resource.Name, s => s.Url("grpc")),
        Management = platform.DotNetResources.ToDictionary(s => s.Resource.Name, s => s.Url("management")),
        Emulators = new Dictionary<string, string>
        {
            [platform.OpenAIEmulator.Resource.Name] = platform.OpenAIEmulator.Url("http"),
            [platform.GeminiEmulator.Resource.Name] = platform.GeminiEmulator.Url("http"),
        },
        ConnectionStrings = new Dictionary<string, string>
        {
            ["redis"] = platform.Redis.Resource.ConnectionString,
            ["rabbitmq"] = platform.RabbitMq.Resource.ConnectionString,
            ["postgres"] = platform.Postgres.Resource.ConnectionString("postgres"),
        },
        Dashboard = DashboardUrl(configuration),
    };

    /// <summary>The dashboard's first URL (<c>ASPNETCORE_URLS</c> of the app host).</summary>
    public static string? DashboardUrl(IConfiguration configuration) =>
        configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.TrimEnd('/');

    /// <summary>The one-click login link when the dashboard asks for its browser token.</summary>
    private string? LoginUrl() =>
        configuration["AppHost:BrowserToken"] is { Length: > 0 } token && DashboardUrl(configuration) is { } dashboard
            ? $"{dashboard}/login?t={token}" : null;

    private static bool HasEndpoint(IResourceBuilder<ServiceResource> service, string name) =>
        service.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == name);
}
