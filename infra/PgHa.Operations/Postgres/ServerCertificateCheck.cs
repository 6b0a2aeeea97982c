using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PgHa.Operations.Postgres;

/// <summary>
/// Verifies a member's server certificate as libpq's sslmode=verify-full does with a separate hostaddr: the certificate
/// must chain to the cluster's CA (and only to it) and name <c>expectedHost</c>, whatever address the connection went to
/// (127.0.0.1 through a port-forward, or the pod's IP).
/// </summary>
public static class ServerCertificateCheck
{
    public static RemoteCertificateValidationCallback For(string caCertificatePem, string expectedHost) =>
        (_, certificate, _, _) => certificate is not null && Verify(caCertificatePem, certificate, expectedHost);

    public static bool Verify(string caCertificatePem, X509Certificate certificate, string expectedHost)
    {
        using var ca = X509Certificate2.CreateFromPem(caCertificatePem);
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        return chain.Build(server) && server.MatchesHostname(expectedHost, allowWildcards: false, allowCommonName: false);
    }
}
