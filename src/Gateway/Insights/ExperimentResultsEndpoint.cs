using System.Text.Json;
using Grpc.Core;
using RoutingClient = VoicePlatform.Contracts.Routing.Routing.RoutingClient;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.Contracts.Routing;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Routing;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.Insights;

/// <summary>
/// <c>GET /v1/experiments/{id}/results</c>: the experiment's arms and weights from the Router (which owns experiments),
/// analysed by Insights over the experiment's sessions. Query: <c>control</c> (an arm; default the first listed),
/// <c>min_sessions</c> (2–100000; default Insights' <c>Insights:Experiments:MinSessionsPerArm</c>, 30).
/// </summary>
public static class ExperimentResultsEndpoint
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapExperimentResults(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/experiments/{id}/results", async (string id, HttpContext http, RoutingClient router, InsightsQuery.InsightsQueryClient insights,
                ILoggerFactory loggers) =>
            {
                var logger = loggers.CreateLogger(typeof(ExperimentResultsEndpoint));
                var query = http.Request.Query;
                var minSessions = 0;
                if (query["min_sessions"].ToString() is { Length: > 0 } text && (!int.TryParse(text, out minSessions) || minSessions is < 2 or > 100_000))
                    return OpenAIError.InvalidValue("'min_sessions' must be an integer from 2 to 100000.", "min_sessions");
                var tenant = RequireTenantKeyFilter.GetTenant(http).TenantId.ToString();
                var options = new CallOptions(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);

                RoutingReply experiment;
                try
                {
                    experiment = await router.GetExperimentAsync(new RoutingRequest { TenantId = tenant, Name = id }, options);
                }
                catch (RpcException error)
                {
                    return DownstreamErrors.FromRpc(error, DownstreamService.Routing("experiment_not_found"), logger);
                }
                var request = new GetExperimentResultsRequest { TenantId = tenant, ExperimentId = id, MinSessionsPerArm = minSessions };
                request.Arms.AddRange(Arms(experiment));
                var control = query["control"].ToString() is { Length: > 0 } named ? named : request.Arms.FirstOrDefault()?.Name ?? "";
                if (request.Arms.All(a => a.Name != control))
                    return OpenAIError.InvalidValue($"'control' must name one of the experiment's arms: {string.Join(", ", request.Arms.Select(a => a.Name))}.", "control");
                request.ControlArm = control;

                return await DownstreamCall.RunAsync(async () =>
                        Results.Ok(ExperimentResultsResponse.From(id, await insights.GetExperimentResultsAsync(request, options))),
                    error => DownstreamErrors.FromRpc(error, DownstreamService.Insights, logger));
            })
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Experiments")
            .WithName("GetExperimentResults")
            .WithSummary("Each arm against the control: per metric the arm's mean/median/p90 with a 95% interval, and the difference, relative lift, "
                + "95% interval and p-value (Welch's t for per-session means, two-proportion z for rates; the session is the unit). "
                + "Query: control (an arm; default the first listed), min_sessions (default 30)")
            .Produces<ExperimentResultsResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>The arms as the Router's experiment JSON lists them (<c>arms: [{name, target, weight}]</c>), in order.</summary>
    private static IEnumerable<ExperimentArmWeight> Arms(RoutingReply experiment)
    {
        using var document = JsonDocument.Parse(experiment.Json.Memory);
        if (!document.RootElement.TryGetProperty("arms", out var arms) || arms.ValueKind != JsonValueKind.Array) return [];
        return [.. arms.EnumerateArray().Select(a => new ExperimentArmWeight { Name = a.GetProperty("name").GetString()!, Weight = a.GetProperty("weight").GetInt32() })];
    }
}
