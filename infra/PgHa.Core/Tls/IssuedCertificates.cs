namespace PgHa.Core.Tls;

/// <summary>
/// A cluster's CA and its server certificate, as PEM. The two private keys are secrets: whoever holds them can pose as
/// the cluster (the server key) or issue certificates clients trust (the CA key).
/// </summary>
/// <param name="CaCertificatePem">The CA clients verify the server with (<c>sslrootcert</c>).</param>
/// <param name="CaPrivateKeyPem">The CA's key (PKCS#8), kept to issue the next server certificate under the same CA.</param>
/// <param name="CertificatePem">The server certificate, signed by the CA, naming every host of the cluster.</param>
/// <param name="PrivateKeyPem">The server's key (PKCS#8).</param>
/// <param name="NotAfter">When the server certificate expires.</param>
/// <param name="CaNotAfter">When the CA expires.</param>
public sealed record IssuedCertificates(
    string CaCertificatePem,
    string CaPrivateKeyPem,
    string CertificatePem,
    string PrivateKeyPem,
    DateTimeOffset NotAfter,
    DateTimeOffset CaNotAfter)
{
    /// <summary>Names what was issued without a key in it (a record's default ToString would print the keys).</summary>
    public override string ToString() => $"server certificate until {NotAfter:O} under a CA until {CaNotAfter:O}";
}
