using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgHa.Core.Tls;

namespace PgHa.Operations.Patroni;

/// <summary>
/// The HTTP client for <see cref="PatroniClient"/>. With credentials: HTTPS that presents the operator's client
/// certificate and accepts a member only if its certificate chains to the cluster's CA (and to nothing else) and is a
/// server's (serverAuth). The host name is not matched: pgha and the provider reach each member through a port-forward
/// at 127.0.0.1, and one client serves every member, so there is no one name to expect; the cluster's CA signs only
/// the members' certificate (serverAuth) and the operator's (clientAuth only), so a certificate that chains to it and is a
/// server's is a member's. Without credentials (a cluster from before the REST API had certificates): plain HTTP.
/// </summary>
public static class PatroniHttp
{
    public static HttpClient Create(PatroniApiCredentials? credentials, TimeSpan timeout)
    {
        if (credentials is null)
        {
            return new HttpClient { Timeout = timeout };
        }

        var ca = X509Certificate2.CreateFromPem(credentials.CaCertificatePem);
        var client = ClientCertificate(credentials);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { client },
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && IsMember(ca, certificate),
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }

    /// <summary>The member's certificate chains to <paramref name="ca"/> alone and may serve TLS (serverAuth).</summary>
    public static bool IsMember(X509Certificate2 ca, X509Certificate certificate)
    {
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClusterCertificateIssuer.ServerAuthOid));
        return chain.Build(server);
    }

    /// <summary>
    /// The operator's certificate with its key, loaded as PKCS#12 so that TLS can use the key (a key attached from PEM is
    /// ephemeral, which the TLS stack may refuse to sign with).
    /// </summary>
    private static X509Certificate2 ClientCertificate(PatroniApiCredentials credentials)
    {
        using var fromPem = X509Certificate2.CreateFromPem(credentials.ClientCertificatePem, credentials.ClientPrivateKeyPem);
        return X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), password: null);
    }
}
