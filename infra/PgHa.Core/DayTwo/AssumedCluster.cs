using PgHa.Core.Naming;

namespace PgHa.Core.DayTwo;

/// <summary>
/// The running cluster as the last rollout left it, for a plan made without reading the cluster (<c>pulumi preview</c>):
/// every member healthy and streaming, on the revision then applied, the recorded primary leading (ordinal 0 when none
/// was recorded), the configuration and volume size then applied. <c>pulumi up</c> reads the cluster and plans again.
/// </summary>
public static class AssumedCluster
{
    /// <summary>The revision every member is assumed to run: the last one applied.</summary>
    public const string AppliedRevision = "applied";

    public static ObservedCluster AsLastApplied(string statefulSet, int replicas, string? primary, LivePatroniConfiguration configuration,
        string storageSize, IReadOnlyList<RotatedCredential> rotated)
    {
        var pods = Enumerable.Range(0, replicas).Select(i => ResourceNames.Pod(statefulSet, i)).ToArray();
        var leader = primary is not null && pods.Contains(primary) ? primary : pods[0];
        // In synchronous mode Patroni keeps one synchronous standby; which one is known only by reading: the first replica.
        var standby = configuration.SynchronousMode ? pods.First(p => p != leader) : null;
        var members = pods.Select((pod, ordinal) => pod == leader
                ? new ObservedMember(pod, ordinal, PatroniRole.Leader, MemberState.Running, 1, 0, AppliedRevision)
                : new ObservedMember(pod, ordinal, pod == standby ? PatroniRole.SyncStandby : PatroniRole.Replica, MemberState.Streaming, 1, 0, AppliedRevision))
            .ToArray();
        var volumes = pods.Select((pod, ordinal) => new ObservedVolume($"{ResourceNames.DataVolume}-{pod}", ordinal, storageSize, storageSize)).ToArray();
        return new ObservedCluster(members, configuration, AppliedRevision, replicas, volumes, rotated);
    }
}
