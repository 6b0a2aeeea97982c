using PgHa.Core.Backup;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Pods;

/// <summary>The database pod of the StatefulSet: the base, and each feature the settings turn on, merged.</summary>
public static class DatabasePod
{
    /// <summary>What each feature contributes, in the order they are merged (which is the order of volumes and containers).</summary>
    /// <param name="backupTarget">The backup store; required when backups are on, ignored otherwise.</param>
    public static IReadOnlyList<PodContribution> Contributions(PgHaSettings settings, CredentialSecretNames secrets, BackupTarget? backupTarget)
    {
        var contributions = new List<PodContribution> { SpiloPod.Contribution(settings, secrets), TlsPod.Contribution(settings) };
        if (settings.Monitoring.Enabled)
        {
            contributions.Add(MonitoringPod.Contribution(settings.Cluster.Name, secrets));
        }

        if (settings.Backup is not null)
        {
            contributions.Add(BackupPod.Contribution(settings, backupTarget
                ?? throw new ArgumentNullException(nameof(backupTarget), "backups are on: the pod needs the backup store")));
        }

        return contributions;
    }

    public static PodLayout Layout(PgHaSettings settings, CredentialSecretNames secrets, BackupTarget? backupTarget) =>
        PodLayout.Merge(Contributions(settings, secrets, backupTarget));
}
