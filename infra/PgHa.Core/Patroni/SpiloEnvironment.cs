using System.Globalization;
using System.Text.Json;
using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.Patroni;

/// <summary>
/// The Spilo image's environment contract (zalando/spilo configure_spilo.py): Patroni scope, the Kubernetes
/// API as the store (ConfigMaps, so the role-selected Services are never fought over), the role label,
/// credentials from Secrets, and the shared Patroni configuration.
/// </summary>
public static class SpiloEnvironment
{
    public const string DataMountPath = "/home/postgres/pgdata";

    /// <summary>PGDATA in the Spilo image (its PGROOT/data; PGROOT is set below to the image's default).</summary>
    public const string DataDirectory = DataMountPath + "/pgroot/data";

    /// <summary>Keys every credentials Secret has.</summary>
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";

    public static IReadOnlyList<PodEnvVar> Build(PgHaSettings settings, CredentialSecretNames secrets)
    {
        var cluster = settings.Cluster.Name;
        var patroniYaml = PatroniConfig.ToYaml(PatroniConfig.Build(settings.Patroni, settings.Backup));
        return
        [
            PodEnvVar.Literal("SCOPE", cluster),
            PodEnvVar.Literal("PGVERSION", settings.Postgres.MajorVersion.ToString(CultureInfo.InvariantCulture)),
            PodEnvVar.Literal("PGROOT", $"{DataMountPath}/pgroot"),
            PodEnvVar.FromField("POD_IP", "status.podIP"),
            PodEnvVar.FromField("POD_NAMESPACE", "metadata.namespace"),
            PodEnvVar.FromSecret("PGUSER_SUPERUSER", secrets.Superuser, UsernameKey),
            PodEnvVar.FromSecret("PGPASSWORD_SUPERUSER", secrets.Superuser, PasswordKey),
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
            PodEnvVar.Literal("SPILO_CONFIGURATION", patroniYaml),
        ];
    }
}
