using VoicePlatform.Gateway.ApiKeys.Throttling;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>
/// Endpoint filter for tenant-facing endpoints: a valid tenant key, or a 401 in OpenAI's error shape (429 while the
/// client or key id has failed too often, see <see cref="AuthFailureThrottle"/>).
/// </summary>
public sealed class RequireTenantKeyFilter(TenantKeyAuthenticator authenticator, AuthFailureThrottle throttle) : IEndpointFilter
{
    private const string ItemKey = "VoicePlatform.Tenant";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = TenantKeyReader.Read(http.Request);
        if (string.IsNullOrEmpty(presented))
        {
            return OpenAIError.InvalidApiKey(
                "You didn't provide an API key. Provide it in the Authorization header (Bearer <key>).");
        }
        if (throttle.RefusedFor(http, presented) is { } wait) return AuthFailureThrottle.Refusal(http, wait);
        var tenant = await authenticator.AuthenticateAsync(presented, http.RequestAborted);
        if (tenant is null)
        {
            throttle.RecordFailure(http, presented);
            return OpenAIError.InvalidApiKey("Incorrect API key provided. The key is unknown or has been revoked.");
        }
        http.Items[ItemKey] = tenant;
        return await next(context);
    }

    public static AuthenticatedTenant GetTenant(HttpContext http) =>
        http.Items[ItemKey] as AuthenticatedTenant ?? throw new InvalidOperationException("Endpoint is not protected by RequireTenantKeyFilter");
}
