namespace PgHa.Operations.Patroni;

/// <summary>
/// What pgha and the provider need to call Patroni's REST API on HTTPS: the cluster's CA (the members' certificates
/// chain to it) and the operator's client certificate with its key (Secret <c>&lt;cluster&gt;-operator-tls</c>), which
/// Patroni requires for its unsafe endpoints (<c>restapi.verify_client: optional</c>).
/// </summary>
public sealed record PatroniApiCredentials(string CaCertificatePem, string ClientCertificatePem, string ClientPrivateKeyPem)
{
    /// <summary>Names what it holds without the key (a record's default ToString would print it).</summary>
    public override string ToString() => "Patroni REST API credentials (the cluster's CA and the operator's client certificate)";
}
