using VoicePlatform.Contracts.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tools;

/// <summary>
/// The Router's side of the Tools service: opens the per-session layer (<see cref="ServerToolSession"/>) and makes
/// its two kinds of calls — the tenant's tool list, and tool execution — with deadlines, metrics and logs.
/// </summary>
public sealed class ServerTools(
    ToolRegistry.ToolRegistryClient registry,
    ToolExecution.ToolExecutionClient execution,
    IOptions<ServerToolsOptions> options,
    ServerToolMetrics metrics,
    ILoggerFactory loggers,
    TimeProvider? time = null)
{
    private readonly ILogger _logger = loggers.CreateLogger<ServerTools>();

    internal ServerToolsOptions Options => options.Value;

    /// <summary>Where the tool layer's timers and durations come from.</summary>
    internal TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>
    /// The layer for one session: a sink wrapping <paramref name="downstream"/> (provider → client) that becomes an
    /// <see cref="IProviderSession"/> once <see cref="ServerToolSession.Attach"/> gets the provider session.
    /// Starts fetching the tenant's tools at once, so the lookup overlaps the provider connect.
    /// </summary>
    public ServerToolSession Open(string sessionId, string tenantId, bool resumed, ISessionEventSink downstream) =>
        new(this, sessionId, tenantId, resumed, downstream, loggers.CreateLogger<ServerToolSession>());

    internal async Task<TenantTools> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var response = await registry.ListToolsAsync(new ListToolsRequest { TenantId = tenantId },
            deadline: DateTime.UtcNow + Options.RegistryTimeout, cancellationToken: cancellationToken);
        return TenantTools.From(response);
    }

    private readonly Lock _resumeListsGate = new();
    private readonly Dictionary<string, (Task<TenantTools> List, long FetchedAt)> _resumeLists = new(StringComparer.Ordinal);
    private const int MaxResumeLists = 10_000;

    /// <summary>
    /// The tenant's list for a re-attached session: one lookup per tenant shared by the re-attaches of the following
    /// <see cref="ServerToolsOptions.ResumeListReuse"/> (a failover moves many sessions of a tenant at once, each of
    /// which would otherwise ask the Tools service the same thing while the new Router is busiest). A failed lookup is
    /// not reused. New sessions and session.update always ask afresh.
    /// </summary>
    internal Task<TenantTools> ListForResumeAsync(string tenantId, CancellationToken cancellationToken)
    {
        Task<TenantTools> list;
        lock (_resumeListsGate)
        {
            if (!_resumeLists.TryGetValue(tenantId, out var shared) || shared.List.IsFaulted || shared.List.IsCanceled
                || Time.GetElapsedTime(shared.FetchedAt) > Options.ResumeListReuse)
            {
                if (_resumeLists.Count >= MaxResumeLists) _resumeLists.Clear();
                shared = (ListAsync(tenantId, CancellationToken.None), Time.GetTimestamp()); // bounded by its deadline
                _resumeLists[tenantId] = shared;
            }
            list = shared.List;
        }
        return list.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs one call. Never throws: tool failures are outcomes the Tools service reports, an unreachable Tools service
    /// becomes a structured error output the model can speak about, and cancellation is the outcome <c>cancelled</c>.
    /// </summary>
    /// <param name="tool">The tool's definition, for its deadline (null: the fallback deadline).</param>
    internal async Task<ServerToolResult> ExecuteAsync(string tenantId, string sessionId, ServerToolCall call, ToolDefinition? tool, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        var request = new ExecuteToolRequest
        {
            TenantId = tenantId,
            SessionId = sessionId,
            CallId = call.CallId,
            ToolName = call.Name,
            ArgumentsJson = call.Arguments,
        };
        try
        {
            var response = await execution.ExecuteToolAsync(request, deadline: DateTime.UtcNow + Options.DeadlineFor(tool), cancellationToken: cancellationToken);
            var outcome = OutcomeName(response.Outcome);
            metrics.Record(outcome, response.BuiltIn, Time.GetElapsedTime(started));
            _logger.LogInformation("Server tool {Tool} call {CallId}: {Outcome} in {LatencyMs} ms{Action}", call.Name, call.CallId, outcome,
                response.LatencyMs, response.Action == ToolAction.EndSession ? " (end session)" : "");
            var output = response.OutputJson.Length == 0 ? "{}" : response.OutputJson;
            return new ServerToolResult(call, output, outcome, response.Action);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException)
        {
            metrics.Record("cancelled", false, Time.GetElapsedTime(started));
            _logger.LogInformation("Server tool {Tool} call {CallId} cancelled", call.Name, call.CallId);
            return new ServerToolResult(call, "", "cancelled", ToolAction.None);
        }
        catch (RpcException e)
        {
            var outcome = e.StatusCode == StatusCode.DeadlineExceeded ? "timeout" : "tools_unavailable";
            metrics.Record(outcome, false, Time.GetElapsedTime(started));
            _logger.LogWarning("Server tool {Tool} call {CallId} failed: Tools service {Status} {Detail}", call.Name, call.CallId, e.StatusCode, e.Status.Detail);
            return new ServerToolResult(call, UnavailableOutput(outcome), outcome, ToolAction.None);
        }
    }

    /// <summary>What the model gets when the platform could not run the tool at all (same shape as the Tools service's errors).</summary>
    private static string UnavailableOutput(string outcome) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["error"] = outcome,
        ["message"] = "The tool could not be run right now. Please tell the user and try again later.",
    }, WireJson.Options);

    private static string OutcomeName(ToolOutcome outcome) => outcome switch
    {
        ToolOutcome.Ok => "ok",
        ToolOutcome.InvalidArguments => "invalid_arguments",
        ToolOutcome.Timeout => "timeout",
        ToolOutcome.WebhookError => "webhook_error",
        ToolOutcome.CircuitOpen => "circuit_open",
        ToolOutcome.ResponseTooLarge => "response_too_large",
        ToolOutcome.ForbiddenTarget => "forbidden_target",
        ToolOutcome.NotFound => "not_found",
        ToolOutcome.Cancelled => "cancelled",
        _ => "unspecified",
    };
}
