using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;
using VoicePlatform.TestSupport.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Vertex;

/// <summary>POST /token: Google's service-account flow with JWTs built and RS256-signed by hand in the test.</summary>
public sealed class TokenEndpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_signed_assertion_from_a_configured_account_gets_a_bearer_token()
    {
        using var account = ServiceAccount.Create();
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time, "Vertex:ServiceAccountKeyFiles:0=" + account.WriteKeyFile());

        var (status, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("ya29.", body.GetProperty("access_token").GetString());
        Assert.Equal(3599, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task Token_lifetime_is_configurable()
    {
        using var account = ServiceAccount.Create();
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start), "Vertex:TokenLifetime=00:10:00");

        var (_, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start)));

        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task A_signature_by_another_key_is_refused()
    {
        using var account = ServiceAccount.Create();
        using var impostor = RSA.Create(2048);
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start), "Vertex:ServiceAccountKeyFiles:0=" + account.WriteKeyFile());

        var (status, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start), impostor));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal("Invalid JWT Signature.", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Without_key_files_any_signature_passes_but_claims_are_still_checked()
    {
        using var account = ServiceAccount.Create();
        using var other = RSA.Create(2048);
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start));

        var (status, _) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start), other));
        Assert.Equal(HttpStatusCode.OK, status);

        var claims = account.Claims(Start);
        claims["aud"] = "https://example.com/token";
        var (refused, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(claims, other));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_account_is_refused_when_key_files_are_configured()
    {
        using var account = ServiceAccount.Create();
        using var stranger = ServiceAccount.Create("stranger");
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start), "Vertex:ServiceAccountKeyFiles:0=" + account.WriteKeyFile());

        var (status, body) = await VertexWire.RequestTokenAsync(host, stranger.SignJwt(stranger.Claims(Start)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid grant: account not found", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task A_wrong_audience_is_refused_and_the_emulators_own_token_url_is_accepted()
    {
        using var account = ServiceAccount.Create();
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start), "Vertex:ServiceAccountKeyFiles:0=" + account.WriteKeyFile());

        var (status, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start, "https://oauth2.example.com/token")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal("Invalid JWT: Failed audience check.", body.GetProperty("error_description").GetString());

        var own = host.HttpBase.GetLeftPart(UriPartial.Authority) + "/token";
        var (ok, _) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start, own)));
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task An_expired_assertion_and_one_living_over_an_hour_are_refused()
    {
        using var account = ServiceAccount.Create();
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start), "Vertex:ServiceAccountKeyFiles:0=" + account.WriteKeyFile());

        // Issued two hours ago: expired an hour ago.
        var (expired, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start.AddHours(-2))));
        Assert.Equal(HttpStatusCode.BadRequest, expired);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.StartsWith("Invalid JWT: Token must be a short-lived token (60 minutes)", body.GetProperty("error_description").GetString());

        var tooLong = account.Claims(Start);
        tooLong["exp"] = Start.ToUnixTimeSeconds() + 3601;
        var (refused, _) = await VertexWire.RequestTokenAsync(host, account.SignJwt(tooLong));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
    }

    [Fact]
    public async Task The_cloud_platform_scope_and_the_jwt_bearer_grant_type_are_required()
    {
        using var account = ServiceAccount.Create();
        await using var host = await EmulatorHost.StartAsync(new FakeTimeProvider(Start));

        var claims = account.Claims(Start);
        claims["scope"] = "https://www.googleapis.com/auth/userinfo.email";
        var (status, body) = await VertexWire.RequestTokenAsync(host, account.SignJwt(claims));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());

        var (grant, grantBody) = await VertexWire.RequestTokenAsync(host, account.SignJwt(account.Claims(Start)), grantType: "client_credentials");
        Assert.Equal(HttpStatusCode.BadRequest, grant);
        Assert.Equal("unsupported_grant_type", grantBody.GetProperty("error").GetString());

        var (malformed, malformedBody) = await VertexWire.RequestTokenAsync(host, "not-a-jwt");
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.Equal("invalid_grant", malformedBody.GetProperty("error").GetString());
    }
}
