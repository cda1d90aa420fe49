using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.AppHost.Orchestration;
using VoicePlatform.AppHost.Orchestration.Restarts;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost;

/// <summary>
/// The Aspire app host: <c>dotnet run --project AppHost [-- options]</c>. A named class (not top-level statements):
/// test projects reference this assembly next to services that have a <c>Program</c> of their own.
/// </summary>
public static class AppHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        CommandLine options;
        try { options = CommandLine.Parse(args); }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var root = PlatformOptions.FindRepositoryRoot();
        var stateDirectory = Path.GetFullPath(options.StateDirectory ?? Path.Combine(root, ".apphost"));
        if (options.Reset && Directory.Exists(stateDirectory))
        {
            Console.WriteLine($"--reset: removing {stateDirectory}");
            Directory.Delete(stateDirectory, recursive: true);
        }

        foreach (var port in new[] { options.GatewayPort, options.GatewayTlsPort }.Where(p => p != 0))
        {
            if (!FreePorts.IsFree(port))
            {
                Console.Error.WriteLine($"Port {port} is already in use (another AppHost?). Choose another with --gateway-port / --gateway-tls-port.");
                return 1;
            }
        }

        // Our options are parsed above; Aspire gets none of them (its command-line configuration would misread "--reset").
        // Resource logs are in the dashboard; VOICEPLATFORM_RESOURCE_LOGS=1 also writes them to the console (tests do, for failures).
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            AllowUnsecuredTransport = true,
            // Our own development CA serves the Gateway's TLS; the ASP.NET development certificate plays no part.
            TrustDeveloperCertificate = false,
            EnableResourceLogging = Environment.GetEnvironmentVariable("VOICEPLATFORM_RESOURCE_LOGS") == "1",
        });
        DashboardDefaults.Apply(builder.Configuration);

        var settings = new PlatformSettings
        {
            RepositoryRoot = root,
            StateDirectory = stateDirectory,
            GatewayPort = options.GatewayPort,
            GatewayTlsPort = options.GatewayTlsPort,
            RouterReplicas = options.RouterReplicas,
            GatewayReplicas = options.GatewayReplicas,
        };
        PlatformApplication platform;
        try { platform = PlatformApplication.Build(builder, settings); }
        catch (MissingPrerequisiteException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        // One reporter instance: end-to-end fixtures (Aspire.Hosting.Testing) wait for its Ready.
        builder.Services.AddSingleton(platform).AddSingleton(settings)
            .AddSingleton<PlatformStartupReporter>().AddHostedService(services => services.GetRequiredService<PlatformStartupReporter>())
            .AddHostedService<ExitedResourceRestarter>();

        // Ctrl-C and SIGTERM stop the application; DCP stops every resource, and cleans up after us even if we are killed.
        await using var app = builder.Build();
        await app.RunAsync();
        return PlatformStartupReporter.ExitCode;
    }
}
