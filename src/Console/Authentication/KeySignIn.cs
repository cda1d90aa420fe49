using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Authentication;

/// <summary>Checks a key against the Gateway and, when it opens the tenant or operator API, signs the browser in.</summary>
public sealed class KeySignIn(GatewayApi gateway, ILogger<KeySignIn> logger)
{
    public async Task<bool> SignInAsync(HttpContext http, string key, CancellationToken cancellationToken)
    {
        key = key.Trim();
        var kind = await gateway.IdentifyKeyAsync(key, cancellationToken);
        if (kind == KeyKind.Invalid)
        {
            logger.LogInformation("Sign-in refused: the Gateway did not accept the key");
            return false;
        }
        var role = kind == KeyKind.Operator ? ConsoleClaims.OperatorRole : ConsoleClaims.TenantRole;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, kind == KeyKind.Operator ? "Operator" : "Tenant"),
                new Claim(ClaimTypes.Role, role),
                new Claim(ConsoleClaims.ApiKey, key),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false });
        logger.LogInformation("Signed in with a {Role} key", role);
        return true;
    }
}
