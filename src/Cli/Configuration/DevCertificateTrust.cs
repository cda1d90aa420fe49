using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace VoicePlatform.Cli.Configuration;

/// <summary>
/// Certificate validation that accepts what the system trusts and, in addition, chains to the local AppHost's
/// development CA (<c>.apphost/certs/ca.pem</c>). Nothing else is relaxed: the name must match and the chain must be valid.
/// </summary>
public sealed class DevCertificateTrust(string caCertificatePath)
{
    private readonly X509Certificate2 _ca = X509CertificateLoader.LoadCertificateFromFile(caCertificatePath);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a local CA publishes no revocation list
        if (chain is not null)
            foreach (var element in chain.ChainElements.Skip(1))
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public static RemoteCertificateValidationCallback? For(ConnectionSettings settings) =>
        settings.GatewayUrl.Scheme == "https" && settings.CaCertificatePath is { } ca ? new DevCertificateTrust(ca).Validate : null;
}
