namespace PgHa.Core.Tls;

/// <summary>
/// A cluster's CA, its server certificate and the operator's client certificate, as PEM. The private keys are secrets:
/// whoever holds them can pose as the cluster (the server key), drive Patroni's REST API (the operator key) or issue
/// certificates clients trust (the CA key).
/// </summary>
/// <param name="CaCertificatePem">The CA clients verify the server with (<c>sslrootcert</c>).</param>
/// <param name="CaPrivateKeyPem">The CA's key (PKCS#8), kept to issue the next server certificate under the same CA.</param>
/// <param name="CertificatePem">The server certificate, signed by the CA, naming every host of the cluster.</param>
/// <param name="PrivateKeyPem">The server's key (PKCS#8).</param>
/// <param name="NotAfter">When the server certificate expires.</param>
/// <param name="CaNotAfter">When the CA expires.</param>
/// <param name="OperatorCertificatePem">
/// The operator's client certificate (clientAuth only, <see cref="ClusterTls.OperatorCommonName"/>): what pgha and the
/// provider present to call Patroni's unsafe REST endpoints. Issued and renewed with the server certificate.
/// </param>
/// <param name="OperatorPrivateKeyPem">Its key (PKCS#8).</param>
public sealed record IssuedCertificates(
    string CaCertificatePem,
    string CaPrivateKeyPem,
    string CertificatePem,
    string PrivateKeyPem,
    DateTimeOffset NotAfter,
    DateTimeOffset CaNotAfter,
    string OperatorCertificatePem,
    string OperatorPrivateKeyPem)
{
    /// <summary>Names what was issued without a key in it (a record's default ToString would print the keys).</summary>
    public override string ToString() => $"server and operator certificate until {NotAfter:O} under a CA until {CaNotAfter:O}";
}
