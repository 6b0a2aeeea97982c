using PgHa.Core.Backup;
using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.Pods;

/// <summary>
/// Backups in the database pod: WAL-G's environment in the database container (where WAL and base backups go, how
/// to authenticate, a restore's clone variables) and the backup election script, mounted read-only.
/// </summary>
public static class BackupPod
{
    public const string Feature = "backups";

    /// <summary>The volume of the backup election script's ConfigMap.</summary>
    public const string ScriptsVolume = "backup-scripts";

    /// <param name="target">The backup store, known once its cloud resources exist.</param>
    public static PodContribution Contribution(PgHaSettings settings, BackupTarget target) => new(Feature)
    {
        Volumes = [PodVolume.FromConfigMap(ScriptsVolume, new ResourceNames(settings.Cluster.Name).BackupScripts)],
        Extensions =
        [
            new ContainerExtension(SpiloPod.Container)
            {
                Env = WalGEnvironment.Build(settings, target),
                Mounts = [new PodVolumeMount(ScriptsVolume, BackupElection.MountPath, ReadOnly: true)],
            },
        ],
    };
}
