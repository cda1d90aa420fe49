using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;
using VoicePlatform.TestSupport.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Vertex;

/// <summary>
/// Google's own auth library (Google.Apis.Auth) against the emulator: a key file whose <c>token_uri</c> is the
/// emulator's <c>/token</c>, scoped to cloud-platform, yields a token that opens a Vertex socket. The library posts to
/// the key file's <c>token_uri</c> but signs with <c>aud</c> = Google's token URL, which the emulator accepts.
/// </summary>
public sealed class GoogleAuthLibraryTests
{
    [Fact]
    public async Task A_token_from_GoogleCredential_opens_a_Vertex_socket()
    {
        using var account = ServiceAccount.Create();
        // The library signs with the real clock, so the emulator keeps it too.
        var keyFile = account.WriteKeyFile();
        await using var host = await EmulatorHost.StartAsync("Vertex:ServiceAccountKeyFiles:0=" + keyFile);
        var ownKeyFile = account.WriteKeyFile(tokenUri: host.HttpBase.GetLeftPart(UriPartial.Authority) + "/token");

#pragma warning disable CS0618 // FromFile is marked obsolete in favour of CredentialFactory; it is still what deployments call
        var credential = GoogleCredential.FromFile(ownKeyFile).CreateScoped("https://www.googleapis.com/auth/cloud-platform");
#pragma warning restore CS0618
        var recorder = new RecordingHttpClientFactory();
        credential = credential.CreateWithHttpClientFactory(recorder);
        var token = await ((ITokenAccess)credential).GetAccessTokenForRequestAsync();

        Assert.StartsWith("ya29.", token);
        // What Google.Apis.Auth 1.78.0 does when token_uri points elsewhere: it posts there, but aud stays Google's URL.
        var (uri, form) = recorder.Requests.Single();
        Assert.Equal(host.HttpBase.GetLeftPart(UriPartial.Authority) + "/token", uri.ToString());
        var claims = JsonDocument.Parse(Base64Url(form["assertion"].Split('.')[1])).RootElement;
        Assert.Equal(ServiceAccount.GoogleTokenUrl, claims.GetProperty("aud").GetString());
        Assert.Equal(account.Email, claims.GetProperty("iss").GetString());
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());

        await using var client = await host.ConnectAsync(key: null, path: "/" + VertexWire.Path, headers: VertexWire.Bearer(token));
        await client.SetupAsync(VertexWire.Setup());
        await client.SendTextAsync("hello vertex");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.NotEmpty(Wire.AudioParts(frames));
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    /// <summary>Google's HTTP client factory with a handler that keeps every form the library posts.</summary>
    private sealed class RecordingHttpClientFactory : HttpClientFactory
    {
        public List<(Uri Uri, Dictionary<string, string> Form)> Requests { get; } = [];

        protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) =>
            new RecordingHandler(Requests) { InnerHandler = base.CreateHandler(args) };
    }

    private sealed class RecordingHandler(List<(Uri Uri, Dictionary<string, string> Form)> requests) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                var body = Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken));
                requests.Add((request.RequestUri!, body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')))));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
