using PgHa.Core.Settings;

namespace PgHa.Core.Kubernetes;

/// <summary>Values of the pod spec that follow from settings or from the Spilo image.</summary>
public static class PodDefaults
{
    /// <summary>The postgres user and group inside the Spilo image.</summary>
    public const long SpiloUserId = 101;
    public const long SpiloGroupId = 103;

    /// <summary>
    /// Time a pod gets between SIGTERM and SIGKILL. Patroni on SIGTERM stops PostgreSQL cleanly (a checkpoint) and,
    /// as leader, hands its lock over so a replica takes over within a loop instead of after the ttl. Three ttls
    /// and at least two minutes covers a slow checkpoint on a busy primary.
    /// </summary>
    public static int TerminationGracePeriodSeconds(PatroniSettings patroni) => Math.Max(120, 3 * patroni.Ttl);
}
