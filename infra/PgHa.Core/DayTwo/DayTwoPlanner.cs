using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.DayTwo;

/// <summary>
/// Plans what one <c>pulumi up</c> does to a running cluster: observed state + desired settings -> ordered steps and
/// the reasons not to start. Pure: the executor reads the cluster, calls <see cref="Plan"/>, and runs the steps in order.
/// </summary>
/// <remarks>
/// Order of a plan, each part only when needed:
/// <list type="number">
/// <item>volumes grow in place (a claim never shrinks: refused);</item>
/// <item>Patroni's dynamic configuration is patched live, only the differing keys, never by a restart;</item>
/// <item>rotated passwords are set on the primary (ALTER ROLE) before any pod picks up the new Secret;</item>
/// <item>a scale-down that keeps the primary's ordinal happens here, so departing members are never restarted;</item>
/// <item>the rollout: replicas one at a time (highest ordinal first), each awaited back, streaming and caught up;
/// then one switchover to an updated replica (the synchronous standby in synchronous mode); then the old primary;</item>
/// <item>a scale-down that removes the primary's ordinal happens after that switchover;</item>
/// <item>a scale-up, each new member awaited;</item>
/// <item>the app's Deployments restart after an app password rotation.</item>
/// </list>
/// A member is restarted when its pod runs an older template revision or a superuser/replication password rotated
/// (the pod is recreated), or when PostgreSQL needs a restart for a parameter (Patroni restarts it in place). Members
/// already on the update revision are skipped, so a stopped rollout resumes where it stopped. At most one switchover.
/// </remarks>
public static class DayTwoPlanner
{
    public static DayTwoPlan Plan(ObservedCluster observed, DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(desired);

        var steps = new List<DayTwoStep>();
        var refusals = new List<PlanRefusal>();

        PlanVolumes(observed, desired, steps, refusals);

        var changes = ConfigurationChanges(observed.Configuration, desired.Configuration);
        if (changes.Count > 0)
        {
            steps.Add(new PatchPatroniConfiguration(changes));
        }

        var rotated = observed.RotatedCredentials.DistinctBy(c => c.Role).OrderBy(c => c.Role).ToArray();
        steps.AddRange(rotated.Select(c => new RotatePassword(c.Role, c.Username)));

        var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
        var leader = leaders.Length == 1 ? leaders[0] : null;
        var leaderDeparts = leader is not null && leader.Ordinal >= desired.Replicas;
        var scaleDown = desired.Replicas < observed.Replicas;

        if (scaleDown && !leaderDeparts)
        {
            PlanScaleDown(observed, desired, steps);
        }

        PlanRollout(observed, desired, leader, leaderDeparts, changes, rotated, steps, refusals);

        if (scaleDown && leaderDeparts)
        {
            PlanScaleDown(observed, desired, steps);
        }

        if (desired.Replicas > observed.Replicas)
        {
            steps.Add(new ScaleStatefulSet(desired.Names.StatefulSet, observed.Replicas, desired.Replicas));
            for (var ordinal = observed.Replicas; ordinal < desired.Replicas; ordinal++)
            {
                steps.Add(new AwaitMember(ResourceNames.Pod(desired.Names.StatefulSet, ordinal), desired.ReadinessMaxLagBytes));
            }
        }

        if (rotated.Any(c => c.Role == CredentialRole.App))
        {
            steps.AddRange(desired.AppDeployments.Select(d => new RestartDeployment(d.Namespace, d.Name)));
        }

        var requirement = steps.Count == 0 ? ClusterRequirement.None : steps.Max(s => s.Requires);
        refusals.InsertRange(0, HealthRefusals(observed, desired, leaders, requirement));
        return new DayTwoPlan(steps, refusals.Distinct().ToArray());
    }

    /// <summary>The keys whose value the running cluster lacks or has otherwise; keys the settings do not manage are left alone.</summary>
    public static IReadOnlyList<ConfigurationChange> ConfigurationChanges(LivePatroniConfiguration observed, LivePatroniConfiguration desired) =>
        desired.Values
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => (v.Key, Want: v.Value, Have: observed.Values.GetValueOrDefault(v.Key)))
            .Where(v => v.Have is null || !v.Have.Means(v.Want))
            .Select(v =>
            {
                var change = new ConfigurationChange(v.Key, v.Have, v.Want, NeedsRestart: false);
                return change.Parameter is { } p && RestartRequiringParameters.Contains(p) ? change with { NeedsRestart = true } : change;
            })
            .ToArray();

    private static void PlanVolumes(ObservedCluster observed, DesiredState desired, List<DayTwoStep> steps, List<PlanRefusal> refusals)
    {
        var larger = new List<(ObservedVolume Volume, decimal Bytes)>();
        foreach (var volume in observed.Volumes.Where(v => v.Ordinal < desired.Replicas).OrderBy(v => v.Ordinal))
        {
            if (KubernetesQuantity.TryParse(volume.Requested) is not { } requested)
            {
                refusals.Add(new PlanRefusal(
                    $"the claim {volume.Claim} requests \"{volume.Requested}\", which is not a Kubernetes quantity.",
                    $"check the claim (kubectl get pvc {volume.Claim} -o yaml)."));
                continue;
            }

            var capacity = KubernetesQuantity.TryParse(volume.Capacity);
            if (requested > desired.StorageBytes)
            {
                larger.Add((volume, requested));
            }
            else if (requested < desired.StorageBytes)
            {
                steps.Add(new GrowVolume(volume.Claim, volume.Requested, desired.StorageSize));
            }
            else if (capacity < desired.StorageBytes)
            {
                // Requested already, not grown yet: a resize a stopped run left under way; wait for it again.
                steps.Add(new GrowVolume(volume.Claim, volume.Capacity!, desired.StorageSize));
            }
        }

        if (larger.Count > 0)
        {
            var largest = larger.MaxBy(l => l.Bytes).Volume.Requested;
            refusals.Add(new PlanRefusal(
                $"{desired.StorageSize} is smaller than the volumes have ({string.Join(", ", larger.Select(l => $"{l.Volume.Claim} {l.Volume.Requested}"))}); a volume cannot shrink.",
                $"set {ConfigKeys.StorageSize.FullName} to {largest} or more (pulumi config set {ConfigKeys.StorageSize.FullName} {largest}). Smaller volumes need a new cluster restored from a backup.",
                ConfigKeys.StorageSize.FullName));
        }
    }

    private static void PlanScaleDown(ObservedCluster observed, DesiredState desired, List<DayTwoStep> steps)
    {
        steps.Add(new ScaleStatefulSet(desired.Names.StatefulSet, observed.Replicas, desired.Replicas));
        for (var ordinal = desired.Replicas; ordinal < observed.Replicas; ordinal++)
        {
            var pod = ResourceNames.Pod(desired.Names.StatefulSet, ordinal);
            steps.Add(new DropReplicationSlot(PatroniNames.SlotName(pod), pod));
        }
    }

    private static void PlanRollout(
        ObservedCluster observed,
        DesiredState desired,
        ObservedMember? leader,
        bool leaderDeparts,
        IReadOnlyList<ConfigurationChange> changes,
        IReadOnlyList<RotatedCredential> rotated,
        List<DayTwoStep> steps,
        List<PlanRefusal> refusals)
    {
        var restartParameters = changes.Where(c => c.NeedsRestart).Select(c => c.Parameter!).ToArray();
        var passwordReasons = rotated.Select(c => c.Role switch
        {
            CredentialRole.Superuser => RestartReason.SuperuserPassword,
            CredentialRole.Replication => RestartReason.ReplicationPassword,
            _ => (RestartReason?)null,
        }).OfType<RestartReason>().ToArray();

        DayTwoStep? Work(ObservedMember member)
        {
            var reasons = new List<RestartReason>();
            if (desired.PodTemplateChanges || member.Revision != observed.UpdateRevision)
            {
                reasons.Add(RestartReason.PodTemplate);
            }

            reasons.AddRange(passwordReasons);
            if (reasons.Count > 0)
            {
                return new RecreatePod(member.Pod, reasons);
            }

            if (member.PendingRestart || restartParameters.Length > 0)
            {
                var parameters = (member.PendingRestartParameters ?? []).Concat(restartParameters)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                return new RestartPostgres(member.Pod, parameters);
            }

            return null;
        }

        var replicas = observed.Members
            .Where(m => m != leader && m.Ordinal < desired.Replicas)
            .OrderByDescending(m => m.Ordinal);
        foreach (var replica in replicas)
        {
            if (Work(replica) is { } work)
            {
                steps.Add(work);
                steps.Add(new AwaitMember(replica.Pod, desired.ReadinessMaxLagBytes));
            }
        }

        if (leader is null)
        {
            return;
        }

        var leaderWork = leaderDeparts ? null : Work(leader);
        if (leaderWork is null && !leaderDeparts)
        {
            return;
        }

        var choice = SwitchoverCandidate.Choose(observed, desired, atExecution: false);
        if (choice.Candidate is null)
        {
            refusals.Add(choice.Refusal!);
            return;
        }

        steps.Add(new Switchover(leader.Pod, choice.Candidate.Pod, choice.ToSynchronousStandby));
        if (leaderWork is not null)
        {
            steps.Add(leaderWork);
            steps.Add(new AwaitMember(leader.Pod, desired.ReadinessMaxLagBytes));
        }
    }

    private static IEnumerable<PlanRefusal> HealthRefusals(
        ObservedCluster observed, DesiredState desired, IReadOnlyList<ObservedMember> leaders, ClusterRequirement requirement)
    {
        const string WaitFix = "wait until it is back, streaming and caught up (pgha status shows members and lag), then run pulumi up again.";
        if (requirement < ClusterRequirement.Leader)
        {
            yield break;
        }

        if (leaders.Count == 0)
        {
            yield return new PlanRefusal("no member is the leader.", "restore a leader first (pgha status; the runbook's failover section), then run pulumi up again.");
        }
        else if (leaders.Count > 1)
        {
            yield return new PlanRefusal(
                $"more than one member claims to be the leader: {string.Join(", ", leaders.Select(l => l.Pod))}.",
                "find out which one holds the leader lock and stop the other (the runbook's split-brain section), then run pulumi up again.");
        }

        if (requirement < ClusterRequirement.HealthyMembers)
        {
            yield break;
        }

        if (observed.Paused)
        {
            yield return new PlanRefusal(
                "Patroni is paused (maintenance mode): it would not fail over if a restart went wrong.",
                "end the maintenance (patronictl resume), then run pulumi up again.");
        }

        var leader = leaders.Count == 1 ? leaders[0] : null;
        var staying = Math.Min(observed.Replicas, desired.Replicas);
        for (var ordinal = 0; ordinal < staying; ordinal++)
        {
            if (!observed.Members.Any(m => m.Ordinal == ordinal))
            {
                yield return new PlanRefusal($"{ResourceNames.Pod(desired.Names.StatefulSet, ordinal)} is not a Patroni member (its pod is missing or Patroni does not list it).", WaitFix);
            }
        }

        foreach (var member in observed.Members.Where(m => m.Ordinal < desired.Replicas || m.IsLeader).OrderBy(m => m.Ordinal))
        {
            if (MemberHealth.Problem(member, leader, desired.ReadinessMaxLagBytes) is { } problem)
            {
                yield return new PlanRefusal(problem, WaitFix);
            }
        }
    }
}
