using System.Text.Json;
using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Tools;

/// <summary>
/// <c>/v1/tools</c>: a tenant's webhook tools and tool settings, backed by the Tools service over gRPC.
/// Authenticated with the tenant's API key; errors in OpenAI's shape (400 invalid, 404 unknown or another tenant's
/// tool, 409 duplicate name, 503 Tools service unreachable).
/// </summary>
public static class ToolsApiEndpoints
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        var tools = app.MapGroup("/v1/tools").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Tools");

        // Literal segments win over {name}, so "settings" is never taken for a tool name (the registry reserves it).
        tools.MapGet("/settings", (HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var settings = await registry.GetToolSettingsAsync(new GetToolSettingsRequest { TenantId = TenantId(http) }, Options(http));
                    return Results.Ok(ToolSettingsBody.From(settings));
                }))
            .WithName("GetToolSettings").ProducesCommonErrors().WithSummary("Get the tenant's tool settings")
            .Produces<ToolSettingsBody>();

        tools.MapPut("/settings", async (HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<ToolSettingsRequest>(http);
                if (invalid is not null) return invalid;
                return await CallAsync(loggers, async () =>
                {
                    var tenantId = TenantId(http);
                    var request = new SetToolSettingsRequest { TenantId = tenantId };
                    if (body!.EnabledBuiltIns is null || body.DefaultTools is null)
                    {
                        var current = await registry.GetToolSettingsAsync(new GetToolSettingsRequest { TenantId = tenantId }, Options(http));
                        request.EnabledBuiltIns.AddRange(body.EnabledBuiltIns ?? [.. current.EnabledBuiltIns]);
                        request.DefaultTools.AddRange(body.DefaultTools ?? [.. current.DefaultTools]);
                    }
                    else
                    {
                        request.EnabledBuiltIns.AddRange(body.EnabledBuiltIns);
                        request.DefaultTools.AddRange(body.DefaultTools);
                    }
                    return Results.Ok(ToolSettingsBody.From(await registry.SetToolSettingsAsync(request, Options(http))));
                });
            })
            .WithName("SetToolSettings").ProducesCommonErrors().WithSummary("Enable built-ins and choose the default tools of every session")
            .DocumentJsonBody<ToolSettingsRequest>()
            .Produces<ToolSettingsBody>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        tools.MapPost("/", async (HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<ToolRequest>(http);
                if (invalid is not null) return invalid;
                return await CallAsync(loggers, async () =>
                {
                    var created = await registry.CreateToolAsync(new CreateToolRequest { TenantId = TenantId(http), Tool = Spec(body!, body!.Name) }, Options(http));
                    return Results.Created($"/v1/tools/{created.Tool.Name}", CreatedToolResponse.From(created));
                });
            })
            .WithName("CreateTool").ProducesCommonErrors().WithSummary("Register a webhook tool; the response carries its signing secret, shown only once")
            .DocumentJsonBody<ToolRequest>()
            .Produces<CreatedToolResponse>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);

        tools.MapGet("/", (HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var list = await registry.ListRegisteredToolsAsync(new ListRegisteredToolsRequest { TenantId = TenantId(http) }, Options(http));
                    return Results.Ok(new ToolListResponse([.. list.Tools.Select(ToolResponse.From)]));
                }))
            .WithName("ListTools").ProducesCommonErrors().WithSummary("List the tenant's registered tools")
            .Produces<ToolListResponse>();

        tools.MapGet("/{name}", (string name, HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var tool = await registry.GetToolAsync(new GetToolRequest { TenantId = TenantId(http), Name = name }, Options(http));
                    return Results.Ok(ToolResponse.From(tool));
                }))
            .WithName("GetTool").ProducesCommonErrors().WithSummary("Get a registered tool")
            .Produces<ToolResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        tools.MapPut("/{name}", async (string name, HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<ToolRequest>(http);
                if (invalid is not null) return invalid;
                return await CallAsync(loggers, async () =>
                {
                    var updated = await registry.UpdateToolAsync(
                        new UpdateToolRequest { TenantId = TenantId(http), Name = name, Tool = Spec(body!, body!.Name ?? name) }, Options(http));
                    return Results.Ok(ToolResponse.From(updated));
                });
            })
            .WithName("ReplaceTool").ProducesCommonErrors().WithSummary("Replace a registered tool's definition (its signing secret is kept)")
            .DocumentJsonBody<ToolRequest>()
            .Produces<ToolResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        tools.MapDelete("/{name}", (string name, HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    await registry.DeleteToolAsync(new DeleteToolRequest { TenantId = TenantId(http), Name = name }, Options(http));
                    return Results.Ok(new DeletedToolResponse(name));
                }))
            .WithName("DeleteTool").ProducesCommonErrors().WithSummary("Delete a registered tool")
            .Produces<DeletedToolResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        tools.MapPost("/{name}/rotate_secret", (string name, HttpContext http, ToolRegistry.ToolRegistryClient registry, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var rotated = await registry.RotateToolSecretAsync(new RotateToolSecretRequest { TenantId = TenantId(http), Name = name }, Options(http));
                    return Results.Ok(new SigningSecretResponse(name, rotated.SigningSecret));
                }))
            .WithName("RotateToolSecret").ProducesCommonErrors().WithSummary("Issue a new signing secret; the old one stops being used at once")
            .Produces<SigningSecretResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>What any tools endpoint may answer: a bad key (401) or the Tools service unreachable (503).</summary>
    private static RouteHandlerBuilder ProducesCommonErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
        .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

    private static ToolSpec Spec(ToolRequest body, string? name) => new()
    {
        Name = name ?? "",
        Description = body.Description ?? "",
        ParametersJson = body.Parameters is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } parameters ? parameters.GetRawText() : "",
        WebhookUrl = body.WebhookUrl ?? "",
        TimeoutMs = body.TimeoutMs ?? 0,
        SafeToRetry = body.SafeToRetry ?? false,
        Loggable = body.Loggable ?? false,
    };

    private static string TenantId(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId.ToString();

    private static CallOptions Options(HttpContext http) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);

    private static Task<IResult> CallAsync(ILoggerFactory loggers, Func<Task<IResult>> call) =>
        DownstreamCall.RunAsync(call, error => DownstreamErrors.FromRpc(error, DownstreamService.Tools, loggers.CreateLogger(typeof(ToolsApiEndpoints))));
}
