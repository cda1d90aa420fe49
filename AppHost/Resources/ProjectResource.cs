using VoicePlatform.AppHost.Processes;

namespace VoicePlatform.AppHost.Resources;

/// <summary>
/// One of our .NET projects, run from its build output (<c>dotnet &lt;assembly&gt;.dll</c>) with an HTTP/1.1 endpoint
/// named "http" (REST, WebSockets), a management port (health, metrics; HTTP/1.1) and, for services with a gRPC API,
/// an HTTP/2 endpoint named "grpc".
/// Endpoints and settings are passed as environment variables in Aspire's conventions.
/// </summary>
public sealed class ProjectResource : PlatformResource
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly string _assemblyPath;
    private readonly Dictionary<string, string?> _environment = new();

    public ProjectResource(string name, string assemblyPath, int httpPort, int? grpcPort, ILogSink sink) : base(name, sink)
    {
        _assemblyPath = assemblyPath;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        ManagementPort = FreePorts.Next();
        _environment["Management__Port"] = ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _environment["Management__Address"] = "127.0.0.1";
        _environment["Kestrel__Endpoints__http__Url"] = HttpUrl;
        _environment["Kestrel__Endpoints__http__Protocols"] = "Http1";
        if (grpcPort is not null)
        {
            _environment["Kestrel__Endpoints__grpc__Url"] = GrpcUrl;
            _environment["Kestrel__Endpoints__grpc__Protocols"] = "Http2";
        }
        _environment["OTEL_SERVICE_NAME"] = name;
        _environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        _environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
    }

    public int HttpPort { get; }

    public int? GrpcPort { get; }

    /// <summary>/health, /alive and /metrics are served here only (not on <see cref="HttpPort"/>).</summary>
    public int ManagementPort { get; }

    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort}";

    public string HttpUrl => $"http://127.0.0.1:{HttpPort}";

    public string? GrpcUrl => GrpcPort is { } port ? $"http://127.0.0.1:{port}" : null;

    public override string DisplayAddress =>
        (GrpcUrl is null ? HttpUrl : $"{HttpUrl} (grpc {GrpcUrl})") + $" (management {ManagementUrl})";

    public ProjectResource WithEnvironment(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    /// <summary>Lets this project find <paramref name="other"/> through service discovery (<c>services__name__endpoint__0</c>).</summary>
    public ProjectResource WithReference(ProjectResource other)
    {
        _environment[$"services__{other.Name}__http__0"] = other.HttpUrl;
        if (other.GrpcUrl is not null) _environment[$"services__{other.Name}__grpc__0"] = other.GrpcUrl;
        return this;
    }

    /// <summary>Several instances of one service under one discovery name (<c>services__name__grpc__0</c>, <c>__1</c>, …).</summary>
    public ProjectResource WithReplicasReference(string serviceName, IReadOnlyList<ProjectResource> replicas)
    {
        for (var i = 0; i < replicas.Count; i++)
        {
            _environment[$"services__{serviceName}__http__{i}"] = replicas[i].HttpUrl;
            if (replicas[i].GrpcUrl is not null) _environment[$"services__{serviceName}__grpc__{i}"] = replicas[i].GrpcUrl;
        }
        return this;
    }

    protected override IEnumerable<ProcessSpec> ProcessSpecs()
    {
        if (!File.Exists(_assemblyPath))
            throw new MissingPrerequisiteException($"{Name}: {_assemblyPath} does not exist. Build the solution first (dotnet build VoicePlatform.sln).");
        yield return new ProcessSpec(Name, "dotnet", [_assemblyPath])
        {
            Environment = _environment,
            WorkingDirectory = Path.GetDirectoryName(_assemblyPath),
        };
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var response = await Probe.GetAsync($"{ManagementUrl}/health", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
