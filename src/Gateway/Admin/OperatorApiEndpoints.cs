using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.Tenants;

namespace VoicePlatform.Gateway.Admin;

/// <summary>The operator API: tenants and their API keys. Errors are RFC 7807 problem details.</summary>
public static class OperatorApiEndpoints
{
    private const int MaxNameLength = 200;

    public static IServiceCollection AddOperatorApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OperatorOptions>(configuration.GetSection("Gateway"));
        services.AddSingleton<RequireOperatorKeyFilter>();
        return services;
    }

    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/admin").AddEndpointFilter<RequireOperatorKeyFilter>();

        admin.MapPost("/tenants", async (CreateTenantRequest? request, TenantStore tenants, CancellationToken ct) =>
        {
            if (InvalidName(request?.Name) is { } problem) return problem;
            var tenant = await tenants.CreateAsync(request!.Name!.Trim(), ct);
            return Results.Created($"/v1/admin/tenants/{tenant.Id}", TenantResponse(tenant));
        });

        admin.MapGet("/tenants", async (TenantStore tenants, CancellationToken ct) =>
            Results.Ok(new { data = (await tenants.ListAsync(ct)).Select(TenantResponse) }));

        admin.MapGet("/tenants/{tenantId:guid}", async (Guid tenantId, TenantStore tenants, CancellationToken ct) =>
            await tenants.FindAsync(tenantId, ct) is { } tenant ? Results.Ok(TenantResponse(tenant)) : TenantNotFound(tenantId));

        admin.MapPost("/tenants/{tenantId:guid}/keys", async (Guid tenantId, IssueKeyRequest? request, TenantStore tenants, ApiKeyStore keys, CancellationToken ct) =>
        {
            var name = string.IsNullOrWhiteSpace(request?.Name) ? "default" : request!.Name!.Trim();
            if (InvalidName(name) is { } problem) return problem;
            if (await tenants.FindAsync(tenantId, ct) is null) return TenantNotFound(tenantId);
            var (record, fullKey) = await keys.IssueAsync(tenantId, name, ct);
            // The only response that ever contains the secret.
            return Results.Created($"/v1/admin/keys/{record.Id}", new
            {
                id = record.Id, tenant_id = record.TenantId, name = record.Name, created_at = record.CreatedAt, key = fullKey,
            });
        });

        admin.MapGet("/tenants/{tenantId:guid}/keys", async (Guid tenantId, TenantStore tenants, ApiKeyStore keys, CancellationToken ct) =>
        {
            if (await tenants.FindAsync(tenantId, ct) is null) return TenantNotFound(tenantId);
            var list = await keys.ListAsync(tenantId, ct);
            return Results.Ok(new { data = list.Select(KeyResponse) });
        });

        admin.MapDelete("/keys/{keyId}", async (string keyId, ApiKeyStore keys, KeyRevocationChannel revocations, CancellationToken ct) =>
        {
            if (!await keys.RevokeAsync(keyId, ct))
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: $"No API key '{keyId}'.");
            await revocations.AnnounceAsync(keyId);
            return Results.NoContent();
        });

        return app;
    }

    private static IResult? InvalidName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A non-empty name is required."] });
        if (name.Length > MaxNameLength)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"At most {MaxNameLength} characters."] });
        return null;
    }

    private static IResult TenantNotFound(Guid tenantId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Tenant not found", detail: $"No tenant '{tenantId}'.");

    private static object TenantResponse(Tenant tenant) => new { id = tenant.Id, name = tenant.Name, created_at = tenant.CreatedAt };

    private static object KeyResponse(ApiKeyRecord key) => new
    {
        id = key.Id, tenant_id = key.TenantId, name = key.Name, created_at = key.CreatedAt, revoked_at = key.RevokedAt,
    };
}
