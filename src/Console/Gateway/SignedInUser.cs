using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using VoicePlatform.Console.Authentication;

namespace VoicePlatform.Console.Gateway;

/// <summary>
/// The signed-in user of this request or circuit. Blazor's authentication state is the source in components (static
/// and interactive); plain endpoints (the recording proxy) have no such state and use the request's user.
/// </summary>
public sealed class SignedInUser(AuthenticationStateProvider authentication, IHttpContextAccessor httpContext)
{
    public async ValueTask<ClaimsPrincipal> PrincipalAsync()
    {
        try
        {
            return (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // Outside a Blazor render the state provider was never given a user.
            return httpContext.HttpContext?.User ?? new ClaimsPrincipal();
        }
    }

    public async ValueTask<string?> ApiKeyAsync() => (await PrincipalAsync()).FindFirst(ConsoleClaims.ApiKey)?.Value;
}
