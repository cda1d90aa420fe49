using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace VoicePlatform.Console.Authentication;

public static class SignInEndpoints
{
    /// <summary><c>GET /login/one-time?token=…</c> (development link) and <c>POST /logout</c> (a form with the antiforgery token).</summary>
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login/one-time", async (string? token, HttpContext http, OneTimeSignIn oneTime, KeySignIn signIn) =>
        {
            if (!oneTime.TrySpend(token)) return Results.Redirect("/login?link=spent");
            return await signIn.SignInAsync(http, oneTime.ApiKey, http.RequestAborted)
                ? Results.Redirect("/")
                : Results.Redirect("/login?link=refused");
        }).AllowAnonymous();

        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login?signed-out=1");
        }).AllowAnonymous().DisableAntiforgery(); // validated above, explicitly: the handler binds no form
        return app;
    }
}
