using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Core.Tls;

namespace PgHa.Core.Pods;

/// <summary>
/// TLS clients can verify: the cluster's certificate Secret (made by the stack or by cert-manager, same name and keys
/// either way, so the pod does not change between the two) mounted read-only, and Spilo's SSL_* variables pointing
/// PostgreSQL at its files. Spilo then writes no self-signed certificate of its own, and because SSL_PRIVATE_KEY_FILE is
/// set it also reloads PostgreSQL when the files change (its cron job checks every 5 minutes), so a renewed certificate
/// reaches the server without a pod restart. The same files serve Patroni's REST API on HTTPS (SSL_RESTAPI_*, which
/// Spilo writes into <c>restapi.certfile/keyfile/cafile</c>); Patroni reads them when it starts or reloads (SIGHUP,
/// POST /reload), not on Spilo's cron reload.
/// </summary>
public static class TlsPod
{
    public const string Feature = "TLS";

    public const string Volume = "tls";

    public static PodContribution Contribution(PgHaSettings settings) => new(Feature)
    {
        Volumes = [PodVolume.FromSecret(Volume, new ResourceNames(settings.Cluster.Name).TlsSecret, ClusterTls.FileMode)],
        Extensions =
        [
            new ContainerExtension(SpiloPod.Container)
            {
                Env =
                [
                    PodEnvVar.Literal("SSL_CERTIFICATE_FILE", ClusterTls.CertificateFile),
                    PodEnvVar.Literal("SSL_PRIVATE_KEY_FILE", ClusterTls.PrivateKeyFile),
                    PodEnvVar.Literal("SSL_CA_FILE", ClusterTls.CaFile),
                    // Patroni's REST API on HTTPS with the same certificate (it names every member), which the member also
                    // presents as its client certificate to the others; client certificates are verified against the CA.
                    PodEnvVar.Literal("SSL_RESTAPI_CERTIFICATE_FILE", ClusterTls.CertificateFile),
                    PodEnvVar.Literal("SSL_RESTAPI_PRIVATE_KEY_FILE", ClusterTls.PrivateKeyFile),
                    PodEnvVar.Literal("SSL_RESTAPI_CA_FILE", ClusterTls.CaFile),
                ],
                Mounts = [new PodVolumeMount(Volume, ClusterTls.MountPath, ReadOnly: true)],
            },
        ],
    };
}
