using Microsoft.Extensions.Options;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// <c>/v1/keys</c>: a tenant manages its own API keys with one of them (the web console's key page, and scripts).
/// Another tenant's key is 404, exactly like a missing one. Revocation reaches every Gateway at once, as the operator's does.
/// </summary>
public static class TenantKeyEndpoints
{
    private const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapTenantKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/keys").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("API keys");

        keys.MapGet("/", async (HttpContext http, ApiKeyStore store, CancellationToken ct) =>
            {
                var list = await store.ListAsync(TenantOf(http), ct);
                return Results.Ok(new TenantKeyListResponse([.. list.Select(TenantKeyResponse.From)]));
            })
            .WithName("ListApiKeys").WithSummary("List the tenant's API keys, revoked ones included (never their secrets)")
            .Produces<TenantKeyListResponse>().Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);

        keys.MapPost("/", async (HttpContext http, ApiKeyStore store, IOptionsMonitor<ApiKeyOptions> options, CancellationToken ct) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<IssueTenantKeyRequest>(http);
                if (invalid is not null) return invalid;
                var name = string.IsNullOrWhiteSpace(body!.Name) ? "default" : body.Name.Trim();
                if (name.Length > MaxNameLength) return Invalid($"'name' must be at most {MaxNameLength} characters.", "name");
                var tenantId = TenantOf(http);
                var active = (await store.ListAsync(tenantId, ct)).Count(k => !k.IsRevoked);
                var max = options.CurrentValue.MaxActiveKeysPerTenant;
                if (active >= max)
                    return OpenAIError.Result(StatusCodes.Status409Conflict, "invalid_request_error", "key_limit_reached",
                        $"The tenant already has {active} active keys (at most {max}); revoke one first.");
                var (record, fullKey) = await store.IssueAsync(tenantId, name, ct);
                return Results.Created($"/v1/keys/{record.Id}", new IssuedKeyResponse(record.Id, record.TenantId, record.Name, record.CreatedAt, fullKey));
            })
            .WithName("CreateApiKey").WithSummary("Issue a new API key for this tenant; the response carries the secret, shown only once")
            .DocumentJsonBody<IssueTenantKeyRequest>()
            .Produces<IssuedKeyResponse>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);

        keys.MapDelete("/{id}", async (string id, HttpContext http, ApiKeyStore store, KeyRevocationChannel revocations, CancellationToken ct) =>
            {
                if (await store.FindAsync(id, ct) is not { } key || key.TenantId != TenantOf(http))
                    return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "key_not_found", $"No API key '{id}'.", "id");
                await store.RevokeAsync(id, ct);
                await revocations.AnnounceAsync(id);
                return Results.NoContent();
            })
            .WithName("RevokeApiKey")
            .WithSummary("Revoke one of the tenant's keys: requests and live sessions with it are refused within seconds (the key in use may revoke itself)")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        return app;
    }

    private static Guid TenantOf(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId;

    private static IResult Invalid(string message, string param) =>
        OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", message, param);
}
