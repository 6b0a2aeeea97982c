namespace PgHa.Core.DayTwo;

/// <summary>
/// Which replica takes over in a planned switchover. The planner uses it to plan; the executor calls it again with
/// the cluster as it is just before switching (replicas restarted by then, and in synchronous mode the synchronous
/// standby may have moved), so both apply one rule.
/// </summary>
public static class SwitchoverCandidate
{
    /// <summary>
    /// A healthy replica on an ordinal that stays after any scale-down; in synchronous mode the synchronous standby
    /// (Patroni switches over only to it); otherwise the one least behind, then the lowest ordinal.
    /// </summary>
    /// <param name="atExecution">
    /// True just before switching: only a member already on the StatefulSet's update revision and no further behind
    /// than maximum_lag_on_failover qualifies (Patroni refuses a candidate further behind). False at planning: the plan
    /// restarts every outdated replica before its switchover, and lag then is a snapshot, held to pgha:readinessMaxLag.
    /// </param>
    public static SwitchoverChoice Choose(ObservedCluster cluster, DesiredState desired, bool atExecution)
    {
        var leader = cluster.Members.SingleOrDefault(m => m.IsLeader);
        var replicas = cluster.Members.Where(m => !m.IsLeader).ToArray();
        var maxLag = atExecution && desired.Configuration.MaximumLagOnFailoverBytes is { } failoverLag
            ? Math.Min(failoverLag, desired.ReadinessMaxLagBytes)
            : desired.ReadinessMaxLagBytes;
        bool Eligible(ObservedMember m) =>
            m.Ordinal < desired.Replicas
            && MemberHealth.Problem(m, leader, maxLag) is null
            && (!atExecution || m.Revision == cluster.UpdateRevision);
        var eligible = replicas.Where(Eligible).OrderBy(m => m.LagBytes).ThenBy(m => m.Ordinal).ToArray();
        var from = leader?.Pod ?? "the leader";

        if (desired.Configuration.SynchronousMode && cluster.Configuration.SynchronousMode)
        {
            var standbys = replicas.Where(m => m.Role == PatroniRole.SyncStandby).ToArray();
            var fit = standbys.Where(Eligible).OrderBy(m => m.LagBytes).ThenBy(m => m.Ordinal).FirstOrDefault();
            if (fit is not null)
            {
                return SwitchoverChoice.To(fit, toSynchronousStandby: true);
            }

            if (standbys.Length == 0)
            {
                return SwitchoverChoice.None(new PlanRefusal(
                    $"synchronous mode is on but no member is the synchronous standby, and Patroni switches over from {from} only to one.",
                    "wait until Patroni has chosen a synchronous standby (pgha status shows it), then run pulumi up again."));
            }

            var departing = standbys.Where(m => m.Ordinal >= desired.Replicas).Select(m => m.Pod).ToArray();
            if (departing.Length == standbys.Length)
            {
                return SwitchoverChoice.None(new PlanRefusal(
                    $"the primary {from} must switch over before the scale-down to {desired.Replicas}, and in synchronous mode Patroni switches over only to the synchronous standby, {string.Join(", ", departing)}, which the scale-down removes.",
                    "set pgha:synchronousMode to off for the scale-down (applied live, no restart), run pulumi up, then set it back.",
                    "pgha:replicas"));
            }

            return SwitchoverChoice.None(new PlanRefusal(
                $"in synchronous mode Patroni switches over only to the synchronous standby, and {string.Join(", ", standbys.Select(m => m.Pod))} cannot take over" +
                (atExecution ? $" (unhealthy, more than {ByteSize.Format(maxLag)} behind, or not on revision {cluster.UpdateRevision})." : " (unhealthy)."),
                "wait until the synchronous standby is streaming and caught up, then run pulumi up again."));
        }

        if (eligible.Length == 0)
        {
            return SwitchoverChoice.None(new PlanRefusal(
                $"no replica can take over from {from}: none is streaming, at most {ByteSize.Format(maxLag)} behind{(atExecution ? ", on the update revision" : string.Empty)} and on an ordinal below pgha:replicas ({desired.Replicas}).",
                "wait until a replica has caught up, then run pulumi up again."));
        }

        // Synchronous mode turned on by this plan's configuration patch: Patroni will choose a synchronous standby after
        // the patch; this is the likely one, and the executor takes whichever Patroni chose.
        return SwitchoverChoice.To(eligible[0], toSynchronousStandby: desired.Configuration.SynchronousMode);
    }
}
