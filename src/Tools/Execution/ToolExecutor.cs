using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Tools.BuiltIns;
using VoicePlatform.Tools.Registry;
using VoicePlatform.Tools.Schemas;
using VoicePlatform.Tools.Webhooks;

namespace VoicePlatform.Tools.Execution;

/// <summary>
/// Runs one tool call: finds the tool (an enabled built-in or the tenant's registered tool), checks the arguments
/// against its schema, runs it (in-process or through its webhook), then logs, measures and publishes
/// <see cref="ToolInvoked"/>. Every failure is a result with an outcome and an output the model can speak about.
/// </summary>
public sealed class ToolExecutor(
    ToolStore tools,
    ToolSettingsStore settings,
    IEnumerable<IBuiltInTool> builtIns,
    WebhookInvoker webhooks,
    ToolInvokedPublisher events,
    ToolMetrics metrics,
    TimeProvider clock,
    ILogger<ToolExecutor> logger)
{
    public async Task<ExecuteToolResponse> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var arguments = string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson;
        ExecuteToolResponse response;
        var loggable = false;
        try
        {
            (response, loggable) = BuiltInTools.Find(call.ToolName) is { } builtIn
                ? await RunBuiltInAsync(call, builtIn, arguments, cancellationToken)
                : await RunWebhookAsync(call, arguments, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            response = Failure(ToolOutcome.Cancelled, "The call was cancelled.");
        }
        response.LatencyMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.RequestBytes == 0) response.RequestBytes = Encoding.UTF8.GetByteCount(arguments);
        Record(call, response, loggable ? arguments : null);
        return response;
    }

    private async Task<(ExecuteToolResponse, bool Loggable)> RunBuiltInAsync(ToolCall call, ToolDefinition definition, string arguments, CancellationToken cancellationToken)
    {
        var tool = builtIns.Single(t => t.Name == definition.Name);
        var tenantSettings = await settings.GetAsync(call.TenantId, cancellationToken);
        if (!tenantSettings.IsBuiltInEnabled(definition.Name))
            return (Failure(ToolOutcome.NotFound, $"The tool '{call.ToolName}' is not enabled for this account.", builtIn: true), false);

        var problems = await ToolArgumentsValidator.ValidateAsync(definition.ParametersJson, arguments, cancellationToken);
        if (problems.Count > 0) return (InvalidArguments(problems, builtIn: true), tool.Loggable);

        using var document = JsonDocument.Parse(arguments);
        var result = tool.Run(document.RootElement);
        return (new ExecuteToolResponse
        {
            OutputJson = result.OutputJson,
            Outcome = result.Outcome,
            ErrorMessage = result.Error ?? "",
            Action = result.Action,
            BuiltIn = true,
            ResponseBytes = Encoding.UTF8.GetByteCount(result.OutputJson),
        }, tool.Loggable);
    }

    private async Task<(ExecuteToolResponse, bool Loggable)> RunWebhookAsync(ToolCall call, string arguments, CancellationToken cancellationToken)
    {
        var tool = await tools.FindForExecutionAsync(call.TenantId, call.ToolName, cancellationToken);
        if (tool is null) return (Failure(ToolOutcome.NotFound, $"There is no tool named '{call.ToolName}'."), false);

        var problems = await ToolArgumentsValidator.ValidateAsync(tool.ParametersJson, arguments, cancellationToken);
        if (problems.Count > 0) return (InvalidArguments(problems, builtIn: false), tool.Loggable);

        var body = WebhookRequestBody.Create(call, arguments);
        var result = await webhooks.InvokeAsync(
            new WebhookCall(call.TenantId, tool.WebhookUrl, tool.SigningSecret, call.CallId, body, tool.Timeout, tool.SafeToRetry), cancellationToken);
        return (new ExecuteToolResponse
        {
            OutputJson = result.Outcome == ToolOutcome.Ok
                ? ToolOutput.FromWebhookBody(result.Body)
                : ToolOutput.Error(result.Outcome, result.Error ?? "The tool failed.", httpStatus: result.HttpStatus),
            Outcome = result.Outcome,
            ErrorMessage = result.Error ?? "",
            RequestBytes = body.Length,
            ResponseBytes = result.ResponseBytes,
            Attempts = result.Attempts,
            HttpStatus = result.HttpStatus,
        }, tool.Loggable);
    }

    private static ExecuteToolResponse InvalidArguments(IReadOnlyList<string> problems, bool builtIn) => new()
    {
        OutputJson = ToolOutput.Error(ToolOutcome.InvalidArguments, "The arguments do not match the tool's parameters.", problems),
        Outcome = ToolOutcome.InvalidArguments,
        ErrorMessage = string.Join("; ", problems),
        BuiltIn = builtIn,
    };

    private static ExecuteToolResponse Failure(ToolOutcome outcome, string message, bool builtIn = false) => new()
    {
        OutputJson = ToolOutput.Error(outcome, message),
        Outcome = outcome,
        ErrorMessage = message,
        BuiltIn = builtIn,
    };

    private void Record(ToolCall call, ExecuteToolResponse response, string? loggableArguments)
    {
        var outcome = ToolOutcomeNames.Of(response.Outcome);
        metrics.Record(response.BuiltIn, response.Outcome, response.LatencyMs);
        events.Enqueue(new ToolInvoked(
            Guid.NewGuid(), call.TenantId, call.SessionId, call.CallId, call.ToolName, response.BuiltIn, outcome, response.LatencyMs,
            response.RequestBytes, response.ResponseBytes, response.Attempts, response.HttpStatus, loggableArguments, clock.GetUtcNow()));

        var level = response.Outcome == ToolOutcome.Ok ? LogLevel.Information : LogLevel.Warning;
        if (!logger.IsEnabled(level)) return;
        // Arguments are the conversation's content: only tools marked loggable may have them in logs.
        if (loggableArguments is not null)
        {
            logger.Log(level,
                "Tool {Tool} (tenant {TenantId}, session {SessionId}, call {CallId}): {Outcome} in {LatencyMs} ms, {RequestBytes} B out, {ResponseBytes} B in, {Attempts} attempt(s) {Error}; arguments {Arguments}",
                call.ToolName, call.TenantId, call.SessionId, call.CallId, outcome, response.LatencyMs, response.RequestBytes, response.ResponseBytes,
                response.Attempts, response.ErrorMessage, loggableArguments);
        }
        else
        {
            logger.Log(level,
                "Tool {Tool} (tenant {TenantId}, session {SessionId}, call {CallId}): {Outcome} in {LatencyMs} ms, {RequestBytes} B out, {ResponseBytes} B in, {Attempts} attempt(s) {Error}",
                call.ToolName, call.TenantId, call.SessionId, call.CallId, outcome, response.LatencyMs, response.RequestBytes, response.ResponseBytes,
                response.Attempts, response.ErrorMessage);
        }
    }
}
