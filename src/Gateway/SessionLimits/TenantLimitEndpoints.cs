using Grpc.Core;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// The tenant's own view of its limits: <c>GET /v1/limits</c> (caps the operator set, live sessions now, the budget)
/// and <c>PUT /v1/billing/budget</c> (the monthly budget is the tenant's own spending guard; the operator can set it
/// too). The caps stay operator-only. OpenAI-style errors, like the rest of the tenant API.
/// </summary>
public static class TenantLimitEndpoints
{
    private static readonly TimeSpan BillingDeadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapTenantLimits(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/limits", async (HttpContext http, SessionLimitStore store, SessionSlots slots, BillingAccounts.BillingAccountsClient billing,
                IOptionsMonitor<SessionLimitOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
                Results.Ok(await ViewAsync(TenantOf(http), store, slots, billing, options.CurrentValue, loggers, ct)))
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Limits")
            .WithName("GetLimits")
            .WithSummary("The tenant's session caps (set by the operator), its live sessions now and its monthly budget against month-to-date spend")
            .Produces<TenantLimitsResponse>().Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);

        app.MapPut("/v1/billing/budget", async (HttpContext http, SessionLimitStore store, SessionSlots slots, BillingAccounts.BillingAccountsClient billing,
                TenantBudgetStatuses budgetStatuses, IOptionsMonitor<SessionLimitOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<SetBudgetBody>(http);
                if (invalid is not null) return invalid;
                if (body!.Mode is not (null or "hard" or "soft"))
                    return Error(StatusCodes.Status400BadRequest, "invalid_value", "'mode' must be \"hard\" or \"soft\".", "mode");
                var tenantId = TenantOf(http);
                try
                {
                    await billing.SetBudgetAsync(new SetBudgetRequest
                    {
                        TenantId = tenantId.ToString(), MonthlyBudgetUsd = body.MonthlyBudgetUsd ?? "", Mode = body.Mode ?? "hard",
                    }, deadline: DateTime.UtcNow + BillingDeadline, cancellationToken: ct);
                    budgetStatuses.Forget(tenantId); // the next start asks Billing
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_value", e.Status.Detail, "monthly_budget_usd");
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    // The tenant exists but Billing has not opened its account yet (its TenantCreated event is in flight).
                    return Error(StatusCodes.Status409Conflict, "billing_account_not_ready", "The billing account is being opened; retry in a moment.");
                }
                catch (RpcException e)
                {
                    loggers.CreateLogger(typeof(TenantLimitEndpoints)).LogWarning(e, "Setting the budget of tenant {TenantId} failed with {Status}", tenantId, e.StatusCode);
                    return OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "billing_unavailable",
                        "Billing is temporarily unavailable. Please retry.");
                }
                return Results.Ok(await ViewAsync(tenantId, store, slots, billing, options.CurrentValue, loggers, ct));
            })
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Billing")
            .WithName("SetBudget")
            .WithSummary("Set (or, with monthly_budget_usd null, clear) the tenant's monthly budget in USD; mode hard refuses new sessions and "
                + "ends live ones once it is reached, soft only reports it. Answers the tenant's limits as GET /v1/limits does")
            .DocumentJsonBody<SetBudgetBody>()
            .Produces<TenantLimitsResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    private static async Task<TenantLimitsResponse> ViewAsync(Guid tenantId, SessionLimitStore store, SessionSlots slots,
        BillingAccounts.BillingAccountsClient billing, SessionLimitOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        // A tenant that authenticated exists; no row yet means no limits of its own.
        var limits = await store.GetTenantAsync(tenantId, ct) ?? new SessionLimits(null, null);
        var budget = await SessionLimitEndpoints.TryBudgetAsync(billing, tenantId, loggers, ct);
        return TenantLimitsResponse.From(limits, options, budget, await slots.CountTenantSessionsAsync(tenantId));
    }

    private static Guid TenantOf(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId;

    private static IResult Error(int status, string code, string message, string? param = null) =>
        OpenAIError.Result(status, "invalid_request_error", code, message, param);
}
