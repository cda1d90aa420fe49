using System.Security.Cryptography.X509Certificates;
using VoicePlatform.AppHost.Certificates;
using VoicePlatform.TestSupport;

namespace VoicePlatform.AppHost.Tests;

public class DevelopmentCertificatesTests
{
    [Fact]
    public void Server_certificate_chains_to_the_local_ca_for_localhost_and_127_0_0_1()
    {
        var directory = TestDirectories.Create("certs");
        try
        {
            var certificates = new DevelopmentCertificates(directory);
            certificates.EnsureCreated();

            using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(certificates.CaCertificatePath));
            using var server = X509Certificate2.CreateFromPemFile(certificates.ServerCertificatePath, certificates.ServerKeyPath);
            Assert.True(server.HasPrivateKey);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(server), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.True(server.MatchesHostname("localhost"));
            Assert.True(server.MatchesHostname("127.0.0.1"));
            Assert.False(server.MatchesHostname("example.com"));

            // A second run keeps the same CA, so clients that trust it keep working.
            var caBefore = File.ReadAllText(certificates.CaCertificatePath);
            certificates.EnsureCreated();
            Assert.Equal(caBefore, File.ReadAllText(certificates.CaCertificatePath));
        }
        finally
        {
            TestDirectories.TryDelete(directory);
        }
    }
}
