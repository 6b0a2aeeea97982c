using System.Security.Cryptography;
using System.Text;

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

    /// <summary>
    /// The pod template annotation holding the server certificate's fingerprint: Patroni reads its REST API's certificate
    /// only when it starts, so a renewed certificate is a new template, whose members the day-2 rollout restarts in its
    /// safe order (PostgreSQL would take it on a reload; Patroni's REST API would keep serving the old one until it expires).
    /// </summary>
    public const string PodTemplateAnnotation = "pgha/server-certificate";

    /// <summary>SHA-256 (hex) of a certificate's PEM text: public, and different for every certificate issued.</summary>
    public static string Fingerprint(string certificatePem) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(certificatePem.Trim())));
}
