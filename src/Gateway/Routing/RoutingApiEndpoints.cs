using Google.Protobuf;
using Grpc.Core;
using RoutingClient = VoicePlatform.Contracts.Routing.Routing.RoutingClient;
using VoicePlatform.Contracts.Routing;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.Routing;

/// <summary>
/// <c>/v1/routes</c> and <c>/v1/experiments</c>: a tenant's routes (virtual model names) and A/B experiments, owned by
/// the Router and reached over gRPC. Bodies and answers are the Router's JSON; errors in OpenAI's shape.
/// </summary>
public static class RoutingApiEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var routes = app.MapGroup("/v1/routes").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Routes");
        routes.MapGet("/", (HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                Call(http, loggers, "route_not_found", () => router.ListRoutesAsync(Request(http), Options(http))))
            .WithName("ListRoutes").WithSummary("List your routes").Produces<RouteListResponse>().ProducesRoutingErrors();
        routes.MapPost("/", async (HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                await WithBody(http, body => Call(http, loggers, "route_not_found",
                    () => router.CreateRouteAsync(Request(http, json: body), Options(http)), StatusCodes.Status201Created)))
            .WithName("CreateRoute").WithSummary("Create a route").DocumentJsonBody<RouteBody>()
            .Produces<RouteResponse>(StatusCodes.Status201Created).ProducesRoutingErrors(withBody: true);
        routes.MapGet("/{name}", (string name, HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                Call(http, loggers, "route_not_found", () => router.GetRouteAsync(Request(http, name), Options(http))))
            .WithName("GetRoute").WithSummary("Get a route").Produces<RouteResponse>().ProducesRoutingErrors();
        routes.MapPut("/{name}", async (string name, HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                await WithBody(http, body => Call(http, loggers, "route_not_found", () => router.PutRouteAsync(Request(http, name, body), Options(http)))))
            .WithName("PutRoute").WithSummary("Create or replace a route").DocumentJsonBody<RouteBody>()
            .Produces<RouteResponse>().ProducesRoutingErrors(withBody: true);
        routes.MapDelete("/{name}", (string name, HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                Call(http, loggers, "route_not_found", () => router.DeleteRouteAsync(Request(http, name), Options(http))))
            .WithName("DeleteRoute").WithSummary("Delete a route no running experiment or other route uses")
            .Produces<RouteDeletedResponse>().ProducesRoutingErrors();

        var experiments = app.MapGroup("/v1/experiments").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Experiments");
        experiments.MapGet("/", (HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                Call(http, loggers, "experiment_not_found", () => router.ListExperimentsAsync(Request(http), Options(http))))
            .WithName("ListExperiments").WithSummary("List your experiments").Produces<ExperimentListResponse>().ProducesRoutingErrors();
        experiments.MapPost("/", async (HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                await WithBody(http, body => Call(http, loggers, "experiment_not_found",
                    () => router.CreateExperimentAsync(Request(http, json: body), Options(http)), StatusCodes.Status201Created)))
            .WithName("CreateExperiment").WithSummary("Create an experiment (draft)").DocumentJsonBody<ExperimentBody>()
            .Produces<ExperimentResponse>(StatusCodes.Status201Created).ProducesRoutingErrors(withBody: true);
        experiments.MapGet("/{id}", (string id, HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                Call(http, loggers, "experiment_not_found", () => router.GetExperimentAsync(Request(http, id), Options(http))))
            .WithName("GetExperiment").WithSummary("Get an experiment with its assignment counts and sample-ratio check")
            .Produces<ExperimentResponse>().ProducesRoutingErrors();
        experiments.MapPut("/{id}", async (string id, HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                await WithBody(http, body => Call(http, loggers, "experiment_not_found", () => router.ReplaceExperimentAsync(Request(http, id, body), Options(http)))))
            .WithName("ReplaceExperiment").WithSummary("Replace a draft experiment (a running one is frozen)").DocumentJsonBody<ExperimentBody>()
            .Produces<ExperimentResponse>().ProducesRoutingErrors(withBody: true);
        foreach (var action in new[] { "start", "pause", "stop", "reshuffle" })
        {
            experiments.MapPost($"/{{id}}/{action}", (string id, HttpContext http, RoutingClient router, ILoggerFactory loggers) =>
                    Call(http, loggers, "experiment_not_found", () => router.ApplyExperimentActionAsync(Request(http, id).WithAction(action), Options(http))))
                .WithName($"{char.ToUpperInvariant(action[0])}{action[1..]}Experiment").WithSummary(action switch
                {
                    "start" => "Start (or resume) an experiment",
                    "pause" => "Pause an experiment (its route serves its own target meanwhile)",
                    "stop" => "Stop an experiment for good",
                    _ => "Re-randomise every subject's arm (new salt)",
                })
                .Produces<ExperimentResponse>().ProducesRoutingErrors();
        }
        return app;
    }

    /// <summary>The errors every routing endpoint can answer (<see cref="RoutingApiErrors"/>), plus 413 for a body over the cap.</summary>
    private static RouteHandlerBuilder ProducesRoutingErrors(this RouteHandlerBuilder endpoint, bool withBody = false)
    {
        endpoint.Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return withBody ? endpoint.Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge) : endpoint;
    }

    private static RoutingRequest WithAction(this RoutingRequest request, string action)
    {
        request.Action = action;
        return request;
    }

    private static RoutingRequest Request(HttpContext http, string name = "", byte[]? json = null) => new()
    {
        TenantId = RequireTenantKeyFilter.GetTenant(http).TenantId.ToString(),
        Name = name,
        Json = json is null ? ByteString.Empty : ByteString.CopyFrom(json),
    };

    private static CallOptions Options(HttpContext http) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);

    /// <summary>The raw JSON body (the Router validates it), with the content type and a size cap checked here.</summary>
    private static async Task<IResult> WithBody(HttpContext http, Func<byte[], Task<IResult>> next)
    {
        if (!http.Request.HasJsonContentType())
            return JsonRequestBody.Invalid("The request body must be JSON (Content-Type: application/json).");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return OpenAIError.Result(StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "request_too_large", $"The request body exceeds {MaxBodyBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return await next(buffer.ToArray());
    }

    private static Task<IResult> Call(HttpContext http, ILoggerFactory loggers, string notFoundCode, Func<AsyncUnaryCall<RoutingReply>> call, int status = StatusCodes.Status200OK) =>
        DownstreamCall.RunAsync(async () =>
        {
            var reply = await call();
            return Results.Text(reply.Json.ToStringUtf8(), "application/json", statusCode: status);
        }, error => DownstreamErrors.FromRpc(error, DownstreamService.Routing(notFoundCode), loggers.CreateLogger(typeof(RoutingApiEndpoints))));
}
