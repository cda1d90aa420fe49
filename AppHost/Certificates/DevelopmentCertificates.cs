using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VoicePlatform.AppHost.Certificates;

/// <summary>
/// A local certificate authority and a server certificate for localhost / 127.0.0.1, as PEM files, created on first
/// run and renewed when close to expiry. Local clients trust <see cref="CaCertificatePath"/>
/// (e.g. <c>NODE_EXTRA_CA_CERTS</c>), since the official openai npm SDK always connects with wss://.
/// </summary>
public sealed class DevelopmentCertificates
{
    private readonly string _directory;

    public DevelopmentCertificates(string stateDirectory) => _directory = Path.Combine(stateDirectory, "certs");

    public string CaCertificatePath => Path.Combine(_directory, "ca.pem");
    public string ServerCertificatePath => Path.Combine(_directory, "server.pem");
    public string ServerKeyPath => Path.Combine(_directory, "server-key.pem");
    private string CaKeyPath => Path.Combine(_directory, "ca-key.pem");

    public void EnsureCreated()
    {
        Directory.CreateDirectory(_directory);
        if (IsValid(CaCertificatePath, TimeSpan.FromDays(60)) && File.Exists(CaKeyPath))
        {
            if (IsValid(ServerCertificatePath, TimeSpan.FromDays(14)) && File.Exists(ServerKeyPath)) return;
            using var existingCa = X509Certificate2.CreateFromPemFile(CaCertificatePath, CaKeyPath);
            WriteServerCertificate(existingCa);
            return;
        }

        using var caKey = RSA.Create(3072);
        var caRequest = new CertificateRequest("CN=VoicePlatform Development CA, O=VoicePlatform", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        File.WriteAllText(CaCertificatePath, ca.ExportCertificatePem());
        WritePrivate(CaKeyPath, caKey.ExportPkcs8PrivateKeyPem());
        WriteServerCertificate(ca);
    }

    private void WriteServerCertificate(X509Certificate2 ca)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = DateTimeOffset.UtcNow.AddDays(365);
        if (notAfter > ca.NotAfter) notAfter = ca.NotAfter;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), notAfter, serial);
        File.WriteAllText(ServerCertificatePath, certificate.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        WritePrivate(ServerKeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static bool IsValid(string path, TimeSpan margin)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return certificate.NotAfter.ToUniversalTime() > DateTime.UtcNow + margin;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
