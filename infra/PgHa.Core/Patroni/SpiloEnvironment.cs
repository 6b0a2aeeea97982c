using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.Patroni;

/// <summary>
/// The Spilo image's environment contract (zalando/spilo configure_spilo.py): Patroni scope, the Kubernetes
/// API as the store (ConfigMaps, so the role-selected Services are never fought over), the role label,
/// credentials from Secrets, and the shared Patroni configuration from a ConfigMap.
/// </summary>
/// <remarks>
/// SPILO_CONFIGURATION is not written into the pod template but read from a ConfigMap (<c>configMapKeyRef</c>): a change
/// of Patroni's dynamic configuration (ttl, synchronous mode, PostgreSQL parameters in <c>bootstrap.dcs</c>) changes only
/// the ConfigMap, so no pod restarts for it. A new cluster still bootstraps with the current values; a running one gets
/// them live through Patroni's REST API (the day-2 rollout), since <c>bootstrap.dcs</c> is read only at bootstrap. What
/// Patroni reads only at start (the local <c>postgresql</c> section) is fingerprinted into a pod template annotation
/// (<see cref="LocalConfigurationAnnotation"/>), so a change there still rolls the pods.
/// </remarks>
public static class SpiloEnvironment
{
    public const string DataMountPath = "/home/postgres/pgdata";

    /// <summary>PGDATA in the Spilo image (its PGROOT/data; PGROOT is set below to the image's default).</summary>
    public const string DataDirectory = DataMountPath + "/pgroot/data";

    /// <summary>Keys every credentials Secret has.</summary>
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";

    /// <summary>The variable Spilo reads the Patroni configuration from, and the ConfigMap key that holds it.</summary>
    public const string ConfigurationVariable = "SPILO_CONFIGURATION";

    /// <summary>
    /// The superuser's password in the container's environment, from the superuser Secret as it was when the container
    /// started (a Secret changed since then does not reach a running container).
    /// </summary>
    public const string SuperuserPasswordVariable = "PGPASSWORD_SUPERUSER";

    /// <summary>Pod template annotation: a fingerprint of the local part of the configuration, which needs a restart to change.</summary>
    public const string LocalConfigurationAnnotation = "pgha/local-patroni-configuration";

    /// <summary>What the ConfigMap gives the pods as SPILO_CONFIGURATION: the shared Patroni configuration as YAML.</summary>
    public static string Configuration(PatroniSettings patroni, BackupSettings? backup) =>
        PatroniConfig.ToYaml(PatroniConfig.Build(patroni, backup));

    /// <summary>
    /// A fingerprint (SHA-256, hex) of what Patroni reads only when it starts: every section but bootstrap (pg_hba, local
    /// parameters). It changes with those and never with the dynamic configuration, which is
    /// applied live.
    /// </summary>
    public static string LocalConfigurationFingerprint(PatroniSettings patroni, BackupSettings? backup) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PatroniConfig.LocalYaml(PatroniConfig.Build(patroni, backup)))));

    public static IReadOnlyList<PodEnvVar> Build(PgHaSettings settings, CredentialSecretNames secrets)
    {
        var cluster = settings.Cluster.Name;
        return
        [
            PodEnvVar.Literal("SCOPE", cluster),
            PodEnvVar.Literal("PGVERSION", settings.Postgres.MajorVersion.ToString(CultureInfo.InvariantCulture)),
            PodEnvVar.Literal("PGROOT", $"{DataMountPath}/pgroot"),
            PodEnvVar.FromField("POD_IP", "status.podIP"),
            PodEnvVar.FromField("POD_NAMESPACE", "metadata.namespace"),
            PodEnvVar.FromSecret("PGUSER_SUPERUSER", secrets.Superuser, UsernameKey),
            PodEnvVar.FromSecret(SuperuserPasswordVariable, secrets.Superuser, PasswordKey),
            PodEnvVar.FromSecret("PGUSER_STANDBY", secrets.Replication, UsernameKey),
            PodEnvVar.FromSecret("PGPASSWORD_STANDBY", secrets.Replication, PasswordKey),
            PodEnvVar.Literal("DCS_ENABLE_KUBERNETES_API", "true"),
            PodEnvVar.Literal("KUBERNETES_USE_CONFIGMAPS", "true"),
            // Talk to the API through its Service; bypassing it needs read access to endpoints in 'default'.
            PodEnvVar.Literal("KUBERNETES_BYPASS_API_SERVICE", "false"),
            PodEnvVar.Literal("KUBERNETES_SCOPE_LABEL", Labels.Instance),
            PodEnvVar.Literal("KUBERNETES_LABELS", JsonSerializer.Serialize(new Dictionary<string, string> { [Labels.Name] = Labels.AppName })),
            PodEnvVar.Literal("KUBERNETES_ROLE_LABEL", Labels.RoleKey),
            // Spilo defaults these to "master"; the Services select the values Patroni 4 writes.
            PodEnvVar.Literal("KUBERNETES_LEADER_LABEL_VALUE", Labels.PrimaryRole),
            PodEnvVar.Literal("KUBERNETES_STANDBY_LEADER_LABEL_VALUE", Labels.PrimaryRole),
            PodEnvVar.Literal("KUBERNETES_FOLLOWER_LABEL_VALUE", Labels.ReplicaRole),
            PodEnvVar.FromConfigMap(ConfigurationVariable, new ResourceNames(cluster).SpiloConfiguration, ConfigurationVariable),
        ];
    }
}
