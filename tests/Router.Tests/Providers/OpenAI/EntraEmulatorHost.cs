using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Emulators.OpenAIRealtime;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// The OpenAI emulator with its Entra stand-in on, in-process on real ports: realtime over plain ws, and the same app
/// over https with a throw-away self-signed certificate (Azure.Identity only talks to an https authority).
/// <see cref="TrustingTransport"/> trusts exactly that certificate; nothing here turns certificate checks off.
/// </summary>
internal sealed class EntraEmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly HttpClient _http;

    private EntraEmulatorHost(WebApplication app, X509Certificate2 certificate, Uri httpBase, Uri httpsBase)
    {
        _app = app;
        _certificate = certificate;
        HttpBase = httpBase;
        HttpsBase = httpsBase;
        _http = new HttpClient { BaseAddress = httpBase };
    }

    public Uri HttpBase { get; }

    /// <summary>The authority host for Azure.Identity.</summary>
    public Uri HttpsBase { get; }

    /// <summary>The Azure realtime base, <c>ws://…/openai/v1</c>.</summary>
    public string AzureBaseUrl => new UriBuilder(HttpBase) { Scheme = "ws", Path = "openai/v1" }.Uri.ToString();

    /// <param name="settings">Emulator settings as "Key=Value" under the root (e.g. "OpenAIEmulator:Azure:Entra:TokenLifetime=00:04:00").</param>
    public static async Task<EntraEmulatorHost> StartAsync(TimeProvider? time, params string[] settings)
    {
        var certificate = SelfSignedLoopbackCertificate();
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0;https://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--OpenAIEmulator:Azure:Entra:Enabled=true",
        };
        args.AddRange(settings.Select(s => "--" + s));
        var app = OpenAIRealtimeEmulatorApp.Build([.. args], services =>
        {
            services.Configure<KestrelServerOptions>(o => o.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
            if (time is not null) services.AddSingleton(time);
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new EntraEmulatorHost(app, certificate, addresses.Single(a => a.Scheme == "http"), addresses.Single(a => a.Scheme == "https"));
    }

    /// <summary>An HTTP transport for the credential that trusts this host's certificate (and only it, besides the system's).</summary>
    public HttpPipelineTransport TrustingTransport()
    {
        var thumbprint = _certificate.Thumbprint;
        return new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || presented?.Thumbprint == thumbprint,
        });
    }

    /// <summary>The emulator's count of token requests (<c>GET /emulator/entra</c>).</summary>
    public async Task<int> TokenRequestsAsync()
    {
        var counters = await _http.GetFromJsonAsync<System.Text.Json.JsonElement>("/emulator/entra");
        return counters.GetProperty("token_requests").GetInt32();
    }

    private static X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
