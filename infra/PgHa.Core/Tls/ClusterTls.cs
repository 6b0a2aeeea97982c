namespace PgHa.Core.Tls;

/// <summary>Where the cluster's certificate lives: the keys of its Secret (those of a kubernetes.io/tls Secret, as cert-manager writes them) and where the pods mount it.</summary>
public static class ClusterTls
{
    public const string CertificateKey = "tls.crt";
    public const string PrivateKeyKey = "tls.key";
    public const string CaKey = "ca.crt";

    /// <summary>The Secret's mount in the database container (read-only; Spilo reads its files where its SSL_* variables say).</summary>
    public const string MountPath = "/tls";

    /// <summary>
    /// rw-r-----: PostgreSQL accepts a key file owned by root that its group may read, and the pod's fsGroup (Spilo's group)
    /// is that group; nobody else in the pod can read it.
    /// </summary>
    public const int FileMode = 0x1A0; // 0640

    public static string CertificateFile => $"{MountPath}/{CertificateKey}";
    public static string PrivateKeyFile => $"{MountPath}/{PrivateKeyKey}";
    public static string CaFile => $"{MountPath}/{CaKey}";

    /// <summary>
    /// The operator's client certificate's common name: the certificate (clientAuth only) pgha and the provider present
    /// to call Patroni's unsafe REST endpoints (<c>restapi.verify_client: optional</c>). Patroni checks the chain, not the name.
    /// </summary>
    public const string OperatorCommonName = "pgha-operator";

    /// <summary>The common name both certificates carry: <c>pgha &lt;namespace&gt;/&lt;cluster&gt;</c>.</summary>
    public static string CommonName(string ns, string clusterName) => $"pgha {ns}/{clusterName}";
}
