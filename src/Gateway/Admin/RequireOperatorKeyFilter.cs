using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using VoicePlatform.Gateway.ApiKeys.Throttling;

namespace VoicePlatform.Gateway.Admin;

/// <summary>
/// Guards /v1/admin: the configured operator key as a Bearer token, compared in constant time. Failures count towards
/// the client address's authentication-failure throttle (<see cref="AuthFailureThrottle"/>), as tenant keys' do.
/// </summary>
public sealed class RequireOperatorKeyFilter(IOptions<OperatorOptions> options, AuthFailureThrottle throttle) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var configured = options.Value.OperatorKey;
        if (string.IsNullOrEmpty(configured))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Operator API disabled",
                detail: "Set Gateway:OperatorKey to enable the operator API.");
        }
        if (throttle.RefusedFor(context.HttpContext, null) is { } wait)
        {
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed authentication attempts",
                detail: "Retry after the time in Retry-After.");
        }
        var authorization = context.HttpContext.Request.Headers[HeaderNames.Authorization].ToString();
        var presented = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
        // Hash both sides first so the comparison takes the same time whatever the lengths.
        var matches = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
        if (!matches)
        {
            throttle.RecordFailure(context.HttpContext, null);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid operator key");
        }
        return await next(context);
    }
}
