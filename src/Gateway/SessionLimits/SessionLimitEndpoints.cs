using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Gateway.Admin;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// Operator API for session limits: <c>GET/PUT /v1/admin/tenants/{id}/limits</c> (concurrent sessions — null means the
/// Gateway's default cap —, starts per minute, monthly budget and its mode — the budget is kept by Billing) and <c>GET/PUT /v1/admin/keys/{id}/limits</c>
/// (a key's own, lower caps). RFC 7807 problem details, like the rest of the operator API.
/// </summary>
public static class SessionLimitEndpoints
{
    private const int MaxLimit = 1_000_000;
    private static readonly TimeSpan BillingDeadline = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddSessionLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SessionLimitOptions>(configuration.GetSection(SessionLimitOptions.SectionName));
        services.AddSingleton<SessionLimitStore>();
        services.AddSingleton<SessionSlots>();
        services.AddSingleton<SessionLimitMetrics>();
        services.AddSingleton<SessionAdmission>();
        services.AddSingleton<TenantBudgetStatuses>();
        services.AddSingleton<SessionSlotRenewal>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionSlotRenewal>());
        services.AddSingleton<LiveSessionLimits>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveSessionLimits>());
        return services;
    }

    public static IEndpointRouteBuilder MapSessionLimits(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/admin").AddEndpointFilter<RequireOperatorKeyFilter>();

        admin.MapGet("/tenants/{tenantId:guid}/limits", async (Guid tenantId, SessionLimitStore store, SessionSlots slots,
            BillingAccounts.BillingAccountsClient billing, IOptionsMonitor<SessionLimitOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (await store.GetTenantAsync(tenantId, ct) is not { } limits) return NotFound("Tenant", tenantId.ToString());
            return Results.Ok(TenantLimitsResponse.From(limits, options.CurrentValue, await TryBudgetAsync(billing, tenantId, loggers, ct),
                await slots.CountTenantSessionsAsync(tenantId)));
        });

        admin.MapPut("/tenants/{tenantId:guid}/limits", async (Guid tenantId, HttpContext http, SessionLimitStore store, SessionSlots slots,
            BillingAccounts.BillingAccountsClient billing, TenantBudgetStatuses budgetStatuses, IOptionsMonitor<SessionLimitOptions> options,
            ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (request, budgetGiven, invalidBody) = await ReadAsync(http);
            if (invalidBody is not null) return invalidBody;
            if (Invalid(request) is { } problem) return problem;
            if (request.BudgetMode is not (null or "hard" or "soft"))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["budget_mode"] = ["Must be \"hard\" or \"soft\"."] });
            var limits = new SessionLimits(request.MaxConcurrentSessions, request.MaxSessionStartsPerMinute);
            if (!await store.SetTenantAsync(tenantId, limits, ct)) return NotFound("Tenant", tenantId.ToString());
            if (budgetGiven)
            {
                var failed = await WithBillingAsync(async () =>
                {
                    await billing.SetBudgetAsync(new SetBudgetRequest
                    {
                        TenantId = tenantId.ToString(), MonthlyBudgetUsd = request.MonthlyBudgetUsd ?? "", Mode = request.BudgetMode ?? "hard",
                    }, deadline: DateTime.UtcNow + BillingDeadline, cancellationToken: ct);
                    budgetStatuses.Forget(tenantId); // the next start asks Billing
                    return null;
                });
                if (failed is not null) return failed;
            }
            return Results.Ok(TenantLimitsResponse.From(limits, options.CurrentValue, await TryBudgetAsync(billing, tenantId, loggers, ct),
                await slots.CountTenantSessionsAsync(tenantId)));
        });

        admin.MapGet("/keys/{keyId}/limits", async (string keyId, SessionLimitStore store, CancellationToken ct) =>
            await store.GetKeyAsync(keyId, ct) is { } limits ? Results.Ok(KeyLimitsResponse(keyId, limits)) : NotFound("Key", keyId));

        admin.MapPut("/keys/{keyId}/limits", async (string keyId, HttpContext http, SessionLimitStore store, CancellationToken ct) =>
        {
            var (request, budgetGiven, invalidBody) = await ReadAsync(http);
            if (invalidBody is not null) return invalidBody;
            if (Invalid(request) is { } problem) return problem;
            if (budgetGiven)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["monthly_budget_usd"] = ["Budgets are set per tenant, not per key."] });
            var limits = new SessionLimits(request.MaxConcurrentSessions, request.MaxSessionStartsPerMinute);
            return await store.SetKeyAsync(keyId, limits, ct) ? Results.Ok(KeyLimitsResponse(keyId, limits)) : NotFound("Key", keyId);
        });

        return app;
    }

    private static IResult? Invalid(LimitsRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.MaxConcurrentSessions is < 0 or > MaxLimit) errors["max_concurrent_sessions"] = [$"Must be between 0 and {MaxLimit}, or null for no limit."];
        if (request.MaxSessionStartsPerMinute is < 0 or > MaxLimit) errors["max_session_starts_per_minute"] = [$"Must be between 0 and {MaxLimit}, or null for no limit."];
        return errors.Count == 0 ? null : Results.ValidationProblem(errors);
    }

    /// <summary>The body, and whether it names the budget at all (PUT replaces the session limits; the budget only when given).</summary>
    private static async Task<(LimitsRequest Request, bool BudgetGiven, IResult? Invalid)> ReadAsync(HttpContext http)
    {
        var empty = new LimitsRequest(null, null, null, null);
        if (http.Request.ContentLength is 0 || !http.Request.HasJsonContentType()) return (empty, false, null);
        try
        {
            var node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (node is not JsonObject body)
                return (empty, false, Results.ValidationProblem(new Dictionary<string, string[]> { [""] = ["The body must be a JSON object."] }));
            var request = body.Deserialize<LimitsRequest>() ?? empty;
            return (request, body.ContainsKey("monthly_budget_usd") || body.ContainsKey("budget_mode"), null);
        }
        catch (JsonException e)
        {
            return (empty, false, Results.ValidationProblem(new Dictionary<string, string[]> { [""] = [$"The body is not valid JSON for this endpoint: {e.Message}"] }));
        }
    }

    /// <summary>The budget as Billing sees it, or null (reported as unknown) when Billing does not answer.</summary>
    internal static async Task<BudgetStatus?> TryBudgetAsync(BillingAccounts.BillingAccountsClient billing, Guid tenantId, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return await billing.CheckBudgetAsync(new CheckBudgetRequest { TenantId = tenantId.ToString() }, deadline: DateTime.UtcNow + BillingDeadline, cancellationToken: ct);
        }
        catch (RpcException e)
        {
            loggers.CreateLogger(typeof(SessionLimitEndpoints)).LogWarning("Budget of tenant {TenantId} unknown: Billing did not answer ({Status})", tenantId, e.StatusCode);
            return null;
        }
    }

    private static async Task<IResult?> WithBillingAsync(Func<Task<IResult?>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["monthly_budget_usd"] = [e.Status.Detail] });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // The tenant exists here but Billing has not opened its account yet (the TenantCreated event is in flight).
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Billing account not ready", detail: e.Status.Detail);
        }
        catch (RpcException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Billing unavailable", detail: $"{e.StatusCode}: {e.Status.Detail}");
        }
    }

    private static IResult NotFound(string what, string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} '{id}'.");

    private static object KeyLimitsResponse(string keyId, SessionLimits limits) => new
    {
        key_id = keyId,
        max_concurrent_sessions = limits.MaxConcurrentSessions,
        max_session_starts_per_minute = limits.MaxSessionStartsPerMinute,
    };
}
