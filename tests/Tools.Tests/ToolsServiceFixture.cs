using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Tests;

/// <summary>
/// The Tools service in-process on its own fresh database. Its webhook allow-list admits 127.0.0.1, where tests run
/// their <see cref="TestSupport.Webhooks.LocalWebhookServer"/>s; circuit breakers trip after 3 failures in a row.
/// </summary>
public class ToolsServiceFixture : IAsyncLifetime
{
    public const int CircuitMinimumThroughput = 3;

    private InProcessService<ToolStore>? _service;

    private InProcessService<ToolStore> Service => _service ?? throw new InvalidOperationException("Fixture not initialised");

    public string DatabaseConnectionString => Service.DatabaseConnectionString!;

    public WebApplicationFactory<ToolStore> Factory => Service.Factory;

    public ToolRegistry.ToolRegistryClient Client { get; private set; } = null!;

    public ToolExecution.ToolExecutionClient Execution { get; private set; } = null!;

    /// <summary>Extra settings of this fixture's Tools instance.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Tools:Webhooks:AllowedTargets:0"] = "127.0.0.1",
        ["Tools:Webhooks:RetryDelay"] = "00:00:00.050",
        ["Tools:Webhooks:CircuitBreaker:MinimumThroughput"] = CircuitMinimumThroughput.ToString(),
        ["Tools:Webhooks:CircuitBreaker:FailureRatio"] = "1.0",
        ["Tools:Webhooks:CircuitBreaker:SamplingDuration"] = "00:00:30",
        ["Tools:Webhooks:CircuitBreaker:BreakDuration"] = "00:00:30",
    };

    /// <summary>Service replacements of this fixture's Tools instance (applied after Program.cs registers its own).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        _service = await InProcessService<ToolStore>.StartAsync("tools", configure: web =>
        {
            foreach (var (key, value) in Settings) web.UseSetting(key, value);
            web.ConfigureTestServices(ConfigureServices);
        });
        Client = new ToolRegistry.ToolRegistryClient(_service.Channel);
        Execution = new ToolExecution.ToolExecutionClient(_service.Channel);
    }

    public Task WaitUntilHealthyAsync() => Service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));

    /// <summary>Registers a webhook tool for <paramref name="tenantId"/> (parameters default to one required string, "order_id").</summary>
    public async Task<CreateToolResponse> RegisterAsync(
        Guid tenantId, string name, string webhookUrl, int timeoutMs = 0, bool safeToRetry = false, bool loggable = false, string? parametersJson = null)
    {
        return await Client.CreateToolAsync(new CreateToolRequest
        {
            TenantId = tenantId.ToString(),
            Tool = new ToolSpec
            {
                Name = name,
                Description = $"Test tool {name}",
                ParametersJson = parametersJson ?? """{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}""",
                WebhookUrl = webhookUrl,
                TimeoutMs = timeoutMs,
                SafeToRetry = safeToRetry,
                Loggable = loggable,
            },
        });
    }

    public Task<ExecuteToolResponse> ExecuteAsync(Guid tenantId, string tool, string argumentsJson, string? callId = null, CancellationToken cancellationToken = default) =>
        Execution.ExecuteToolAsync(new ExecuteToolRequest
        {
            TenantId = tenantId.ToString(),
            SessionId = "sess_test",
            CallId = callId ?? "call_" + Guid.NewGuid().ToString("N")[..12],
            ToolName = tool,
            ArgumentsJson = argumentsJson,
        }, cancellationToken: cancellationToken).ResponseAsync;

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }
}
