using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgHa.Core.Tls;

/// <summary>
/// Issues a cluster's CA and server certificate with .NET's own APIs: ECDSA P-256 keys, a CA (basic constraints CA,
/// key usage keyCertSign and cRLSign, path length 0) and a server certificate signed by it whose subject alternative
/// names are the cluster's hosts (<see cref="ClusterTlsNames"/>), with the serverAuth and clientAuth extended key usages
/// (clientAuth so the members can present it to each other on Patroni's REST API), and with it the operator's client
/// certificate (<see cref="ClusterTls.OperatorCommonName"/>, clientAuth only: it can call Patroni's unsafe endpoints but
/// cannot pose as a member, since clients of the members require serverAuth).
/// </summary>
public static class ClusterCertificateIssuer
{
    /// <summary>Backdating absorbs clock skew between the machine running Pulumi and the cluster's nodes.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>The extended key usage a TLS server's certificate needs.</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>The extended key usage a TLS client's certificate needs.</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>A new CA and a server certificate under it.</summary>
    /// <param name="commonName">Names the cluster in both subjects (<c>pgha &lt;namespace&gt;/&lt;cluster&gt;</c>).</param>
    public static IssuedCertificates Issue(string commonName, IReadOnlyList<string> dnsNames, CertificateLifetime lifetime, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(commonName)} CA"), caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var ca = request.CreateSelfSigned(now - Backdate, now + lifetime.CaValidity);
        return IssueServer(ca.ExportCertificatePem(), caKey.ExportPkcs8PrivateKeyPem(), commonName, dnsNames, lifetime, now);
    }

    /// <summary>A new server certificate and a new operator client certificate (and their keys) under an existing CA, which stays what clients trust.</summary>
    public static IssuedCertificates IssueServer(string caCertificatePem, string caPrivateKeyPem, string commonName, IReadOnlyList<string> dnsNames,
        CertificateLifetime lifetime, DateTimeOffset now)
    {
        if (dnsNames.Count == 0)
        {
            throw new ArgumentException("a server certificate needs at least one DNS name", nameof(dnsNames));
        }

        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(caPrivateKeyPem);
        using var caPublic = X509Certificate2.CreateFromPem(caCertificatePem);
        using var ca = caPublic.CopyWithPrivateKey(caKey);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(commonName)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(ServerAuthOid, "serverAuth"), new Oid(ClientAuthOid, "clientAuth")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        // Never past the CA: a certificate outliving its issuer fails verification before its own expiry.
        var notAfter = Min(now + lifetime.Validity, new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        using var certificate = request.Create(ca, now - Backdate, notAfter, Serial());
        var (operatorCertificate, operatorKey) = IssueOperator(ca, now, notAfter);
        return new IssuedCertificates(caCertificatePem, caPrivateKeyPem, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            operatorCertificate, operatorKey);
    }

    /// <summary>
    /// The operator's client certificate: clientAuth only and no DNS names, valid as long as the server certificate
    /// it is issued with (so both are renewed together).
    /// </summary>
    private static (string CertificatePem, string PrivateKeyPem) IssueOperator(X509Certificate2 ca, DateTimeOffset now, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={ClusterTls.OperatorCommonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid, "clientAuth")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(ca, now - Backdate, notAfter, Serial());
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A random positive serial number.</summary>
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A common name never contains what would start another part of the distinguished name.</summary>
    private static string Escape(string value) => new(value.Select(c => c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '=' ? '-' : c).ToArray());
}
