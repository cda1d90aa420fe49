using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Tools;

/// <summary>
/// <c>POST /v1/tools/{name}/test</c>: runs a tool the way a session's call would (same executor, signing, timeouts,
/// SSRF policy), so a tenant can check a webhook before a model calls it. The webhook sees an empty session id and a
/// call id starting with <c>test_</c>; no session's quality figures count the call.
/// </summary>
public static class ToolTestCallEndpoint
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapToolTestCall(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/tools/{name}/test", async (string name, HttpContext http, ToolExecution.ToolExecutionClient tools, ILoggerFactory loggers) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<ToolTestCallRequest>(http);
                if (invalid is not null) return invalid;
                if (body!.Arguments is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
                    return OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", "'arguments' must be a JSON object.", "arguments");
                return await DownstreamCall.RunAsync(async () =>
                {
                    var result = await tools.ExecuteToolAsync(new ExecuteToolRequest
                    {
                        TenantId = RequireTenantKeyFilter.GetTenant(http).TenantId.ToString(),
                        SessionId = "",
                        CallId = "test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                        ToolName = name,
                        ArgumentsJson = body.Arguments is { ValueKind: JsonValueKind.Object } arguments ? arguments.GetRawText() : "",
                    }, deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);
                    if (result.Outcome == ToolOutcome.NotFound)
                        return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "tool_not_found", $"No tool '{name}'.", "name");
                    return Results.Ok(From(result));
                }, error => ToolsApiErrors.FromRpc(error, loggers.CreateLogger(typeof(ToolTestCallEndpoint))));
            })
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Tools")
            .WithName("TestTool")
            .WithSummary("Call a registered tool (or an enabled built-in) with test arguments, as a session would, and see what the model would get")
            .DocumentJsonBody<ToolTestCallRequest>()
            .Produces<ToolTestCallResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static ToolTestCallResponse From(ExecuteToolResponse result)
    {
        var ok = result.Outcome == ToolOutcome.Ok;
        return new ToolTestCallResponse(
            ok ? "ok" : "error",
            JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Outcome.ToString()),
            ParseOutput(result.OutputJson),
            ok ? null : NullIfEmpty(result.ErrorMessage),
            result.LatencyMs,
            result.HttpStatus == 0 ? null : result.HttpStatus,
            result.Attempts);
    }

    // The executor always hands the model JSON text; anything else would be its defect, shown as a string rather than lost.
    private static JsonElement ParseOutput(string outputJson)
    {
        if (outputJson.Length == 0) return JsonSerializer.SerializeToElement<object?>(null);
        try
        {
            using var document = JsonDocument.Parse(outputJson);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(outputJson);
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
