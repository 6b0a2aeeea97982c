using System.Diagnostics;
using System.Globalization;
using PgHa.Core.DayTwo;
using PgHa.Core.Naming;
using PgHa.Core.Waiting;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// Runs a day-2 plan on a running cluster: reads the cluster, plans (<see cref="DayTwoPlanner"/>), refuses to start
/// when the plan is refused (an unhealthy cluster: the error says what is wrong), then runs the steps in order. Each
/// wait is bounded (<see cref="DayTwoTimeouts"/>) and reports progress ("[step k/n] waiting for ..., 12s elapsed").
/// The first step that fails stops the run: nothing after it is started, and the error says what was done, what
/// failed and what was left. Running again resumes: the planner skips members already on the new revision.
/// </summary>
public sealed class DayTwoExecutor(IDayTwoCluster cluster, DayTwoTimeouts? timeouts = null)
{
    private readonly DayTwoTimeouts _timeouts = timeouts ?? DayTwoTimeouts.Default;

    /// <summary>Members a switchover of the current run demoted (Patroni restarts PostgreSQL as a replica to demote it).</summary>
    private readonly HashSet<string> _demoted = new(StringComparer.Ordinal);

    /// <summary>Former leaders the current run already recreated to hand over (a switchover Patroni could not do).</summary>
    private readonly HashSet<string> _handedOver = new(StringComparer.Ordinal);

    /// <summary>What a run would do now (for preview): the plan, refused or not. Changes nothing.</summary>
    public async Task<DayTwoPlan> PlanAsync(DesiredState desired, CancellationToken cancellationToken) =>
        DayTwoPlanner.Plan(await cluster.ObserveAsync(cancellationToken).ConfigureAwait(false), desired);

    /// <summary>Plans and runs the plan.</summary>
    /// <exception cref="DayTwoRefusedException">The plan was refused; nothing was done.</exception>
    /// <exception cref="DayTwoStepFailedException">A step failed; the steps before it were done, none after it started.</exception>
    public async Task<DayTwoResult> ApplyAsync(DesiredState desired, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(progress);
        var clock = Stopwatch.StartNew();
        _demoted.Clear();
        _handedOver.Clear();
        var plan = await PlanAsync(desired, cancellationToken).ConfigureAwait(false);
        if (plan.IsRefused)
        {
            throw new DayTwoRefusedException(plan);
        }

        if (plan.IsEmpty)
        {
            progress("the running cluster already matches the settings: nothing to do.");
            return new DayTwoResult(plan, clock.Elapsed);
        }

        progress($"{plan.Steps.Count} step(s): {string.Join("; ", plan.Summary)}");
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var prefix = $"[step {i + 1}/{plan.Steps.Count}]";
            void StepProgress(string line) => progress($"{prefix} {line}");
            var stepClock = Stopwatch.StartNew();
            progress($"{prefix} {step.Description}");
            try
            {
                await RunAsync(step, desired, StepProgress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new DayTwoStepFailedException(plan, i, e);
            }

            progress($"{prefix} done ({Seconds(stepClock.Elapsed)})");
        }

        progress($"all {plan.Steps.Count} step(s) done in {Seconds(clock.Elapsed)}; leader changes: {plan.LeaderChanges}.");
        return new DayTwoResult(plan, clock.Elapsed);
    }

    private Task RunAsync(DayTwoStep step, DesiredState desired, Action<string> progress, CancellationToken ct) => step switch
    {
        GrowVolume grow => cluster.GrowVolumeAsync(grow.Claim, grow.To, Bound(_timeouts.Volume, progress), ct),
        PatchPatroniConfiguration => PatchAsync(desired, progress, ct),
        RotatePassword rotate => RotateAsync(rotate, ct),
        DropReplicationSlot drop => cluster.DropReplicationSlotAsync(drop.Slot, ct),
        ScaleStatefulSet scale => ScaleAsync(scale, desired, progress, ct),
        RecreatePod recreate => RecreateAsync(recreate, desired, progress, ct),
        RestartPostgres restart => RestartAsync(restart, desired, progress, ct),
        Switchover switchover => SwitchoverAsync(switchover, desired, progress, ct),
        AwaitMember member => AwaitMemberAsync(member.Pod, member.MaxLagBytes, progress, ct),
        RestartDeployment deployment => cluster.RestartDeploymentAsync(deployment.Namespace, deployment.Name, ct),
        _ => throw new NotSupportedException($"the executor does not know the step {step.GetType().Name}."),
    };

    /// <summary>GET /config, then PATCH /config with the keys that still differ; what Patroni stored must then match.</summary>
    private async Task PatchAsync(DesiredState desired, Action<string> progress, CancellationToken ct)
    {
        var current = await cluster.ReadConfigurationAsync(ct).ConfigureAwait(false);
        var changes = DayTwoPlanner.ConfigurationChanges(current, desired.Configuration);
        if (changes.Count == 0)
        {
            progress("Patroni's configuration already has these values.");
            return;
        }

        var stored = await cluster.PatchConfigurationAsync(new PatchPatroniConfiguration(changes).ToJson(), ct).ConfigureAwait(false);
        var left = DayTwoPlanner.ConfigurationChanges(stored, desired.Configuration);
        if (left.Count > 0)
        {
            throw new InvalidOperationException(
                $"Patroni accepted PATCH /config but stored other values: {string.Join(", ", left.Select(c => c.Description))}.");
        }
    }

    private async Task RotateAsync(RotatePassword rotate, CancellationToken ct)
    {
        var password = await cluster.ReadPasswordAsync(rotate.Role, ct).ConfigureAwait(false);
        await cluster.SetPasswordVerifierAsync(rotate.Username, ScramVerifier.Create(password), ct).ConfigureAwait(false);
    }

    private async Task ScaleAsync(ScaleStatefulSet scale, DesiredState desired, Action<string> progress, CancellationToken ct)
    {
        if (scale.To < scale.From)
        {
            var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
            var leader = observed.Members.Where(m => m.IsLeader).ToArray();
            if (leader.Length != 1 || leader[0].Ordinal >= scale.To)
            {
                throw new InvalidOperationException(leader.Length == 1
                    ? $"the leader is {leader[0].Pod}, which the scale-down to {scale.To} would remove (it moved since planning); nothing was scaled."
                    : $"the cluster has {leader.Length} leaders; nothing was scaled.");
            }
        }

        await cluster.ScaleStatefulSetAsync(scale.To, Bound(_timeouts.Scale, progress), ct).ConfigureAwait(false);
    }

    private async Task RecreateAsync(RecreatePod recreate, DesiredState desired, Action<string> progress, CancellationToken ct)
    {
        if (_handedOver.Contains(recreate.Pod))
        {
            progress($"{recreate.Pod} was already restarted to hand over the leadership: nothing to restart.");
            return;
        }

        await OthersHealthyAsync(recreate.Pod, desired, $"restarting {recreate.Pod}", progress, ct).ConfigureAwait(false);
        await cluster.RecreatePodAsync(recreate.Pod, Bound(_timeouts.PodReplaced, progress), ct).ConfigureAwait(false);
    }

    private async Task RestartAsync(RestartPostgres restart, DesiredState desired, Action<string> progress, CancellationToken ct)
    {
        await OthersHealthyAsync(restart.Pod, desired, $"restarting PostgreSQL on {restart.Pod}", progress, ct).ConfigureAwait(false);
        if (_demoted.Contains(restart.Pod))
        {
            // The switchover restarted its PostgreSQL to demote it (as a replica, from the configuration patched earlier in
            // this run): once it is back, Patroni restarts it again only if a restart is still pending.
            await AwaitMemberAsync(restart.Pod, desired.ReadinessMaxLagBytes, progress, ct).ConfigureAwait(false);
            if (!await cluster.RestartPostgresAsync(restart.Pod, onlyIfPending: true, ct).ConfigureAwait(false))
            {
                progress($"{restart.Pod}'s PostgreSQL restarted when the switchover demoted it, and Patroni finds no restart pending: nothing to restart.");
            }

            return;
        }

        // Patroni writes a changed parameter into the member's configuration on its next loop; a restart before that
        // would start with the old value.
        await Bound(_timeouts.PendingRestart, progress).UntilTrueAsync(
            $"{restart.Pod} to load the changed parameters (Patroni's pending_restart)",
            async () =>
            {
                var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
                var member = observed.Members.FirstOrDefault(m => m.Pod == restart.Pod)
                    ?? throw new NotYetException($"{restart.Pod} is not a member");
                return member.PendingRestart ? true : throw new NotYetException($"{restart.Pod} has no pending restart yet");
            },
            ct).ConfigureAwait(false);
        await cluster.RestartPostgresAsync(restart.Pod, onlyIfPending: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Switches over to the candidate chosen now, by the planner's rule, among members on the update revision (the
    /// plan's candidate may have changed: lags move, the synchronous standby may have moved); waits for the new leader.
    /// </summary>
    private async Task SwitchoverAsync(Switchover switchover, DesiredState desired, Action<string> progress, CancellationToken ct)
    {
        await OthersHealthyAsync(null, desired, "switching over", progress, ct).ConfigureAwait(false);
        var (leader, candidate) = await Bound(_timeouts.OthersHealthy, progress).UntilAsync(
            "a replica on the update revision that can take over",
            async () =>
            {
                var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
                var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
                if (leaders.Length == 1 && leaders[0].Pod != switchover.From)
                {
                    throw new FatalWaitException(
                        $"the leader is {leaders[0].Pod}, not {switchover.From} as planned: the leader changed since planning (a failover?); nothing was switched over.");
                }

                var choice = SwitchoverCandidate.Choose(observed, desired, atExecution: true);
                return choice.Candidate is { } chosen
                    ? Tuple.Create(switchover.From, chosen.Pod)
                    : throw new NotYetException(choice.Refusal!.ToString());
            },
            ct).ConfigureAwait(false);

        if (await cluster.SwitchoverBlockerAsync(leader, candidate, ct).ConfigureAwait(false) is { } blocker)
        {
            await HandOverByRecreatingAsync(leader, blocker, progress, ct).ConfigureAwait(false);
            return;
        }

        progress(candidate == switchover.To ? $"switching over {leader} -> {candidate}" : $"switching over {leader} -> {candidate} (planned: {switchover.To})");
        await cluster.SwitchoverAsync(leader, candidate, ct).ConfigureAwait(false);
        _demoted.Add(leader);
        await Bound(_timeouts.Switchover, progress).UntilTrueAsync(
            $"{candidate} to lead and run as the primary",
            async () =>
            {
                var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
                var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
                return leaders.Length == 1 && leaders[0].Pod == candidate && leaders[0].State == MemberState.Running
                    ? true
                    : throw new NotYetException("leaders: " + (leaders.Length == 0 ? "none" : string.Join(", ", leaders.Select(l => $"{l.Pod} ({l.State})"))));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The switchover Patroni cannot do (<see cref="IDayTwoCluster.SwitchoverBlockerAsync"/>): the leader's pod is recreated
    /// instead, as the plan would do next anyway. Patroni releases the leader lock when it shuts down and a healthy replica,
    /// every one of them already updated, takes over (in synchronous mode the synchronous standby): still one leader
    /// change, but Patroni, not the rollout, picks the member. The plan's later recreation of the old leader is skipped.
    /// </summary>
    private async Task HandOverByRecreatingAsync(string leader, string blocker, Action<string> progress, CancellationToken ct)
    {
        progress($"{blocker}; handing over by restarting {leader} instead (Patroni releases the leader lock on shutdown, an updated replica takes over)");
        await cluster.RecreatePodAsync(leader, Bound(_timeouts.PodReplaced, progress), ct).ConfigureAwait(false);
        _handedOver.Add(leader);
        _demoted.Add(leader);
        await Bound(_timeouts.Switchover, progress).UntilTrueAsync(
            $"a member on the update revision other than {leader} to lead and run as the primary",
            async () =>
            {
                var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
                var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
                return leaders.Length == 1 && leaders[0].Pod != leader && leaders[0].Revision == observed.UpdateRevision && leaders[0].State == MemberState.Running
                    ? true
                    : throw new NotYetException("leaders: " + (leaders.Length == 0 ? "none" : string.Join(", ", leaders.Select(l => $"{l.Pod} ({l.State}, revision {l.Revision})"))));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Until the member runs the update revision and is healthy: the leader running, a replica streaming and caught up.</summary>
    private Task AwaitMemberAsync(string pod, long maxLagBytes, Action<string> progress, CancellationToken ct) =>
        Bound(_timeouts.MemberBack, progress).UntilTrueAsync(
            $"{pod} to be back on the update revision, running or streaming, at most {maxLagBytes.ToString(CultureInfo.InvariantCulture)} bytes behind",
            async () =>
            {
                var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
                var member = observed.Members.FirstOrDefault(m => m.Pod == pod) ?? throw new NotYetException($"{pod} is not a Patroni member");
                if (member.Revision != observed.UpdateRevision)
                {
                    throw new NotYetException($"{pod} runs revision {member.Revision}, not {observed.UpdateRevision}");
                }

                var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
                if (leaders.Length != 1)
                {
                    throw new NotYetException($"{leaders.Length} leaders");
                }

                return MemberHealth.Problem(member, leaders[0], maxLagBytes) is { } problem ? throw new NotYetException(problem) : true;
            },
            ct);

    /// <summary>Before taking a member down: every other member that stays is healthy (bounded wait).</summary>
    private Task OthersHealthyAsync(string? pod, DesiredState desired, string before, Action<string> progress, CancellationToken ct) =>
        Bound(_timeouts.OthersHealthy, progress).UntilTrueAsync(
            $"{(pod is null ? "every member" : "every member but " + pod)} to be healthy before {before}",
            async () =>
            {
                var observed = await cluster.ObserveAsync(ct).ConfigureAwait(false);
                if (observed.Paused)
                {
                    throw new FatalWaitException("Patroni is paused (maintenance mode): it would not fail over if a restart went wrong. End the maintenance (patronictl resume) and run again.");
                }

                var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
                if (leaders.Length != 1)
                {
                    throw new NotYetException($"{leaders.Length} leaders");
                }

                var staying = Math.Min(observed.Replicas, desired.Replicas);
                var problems = Enumerable.Range(0, staying)
                    .Select(ordinal => ResourceNames.Pod(desired.Names.StatefulSet, ordinal))
                    .Where(name => name != pod)
                    .Select(name => observed.Members.FirstOrDefault(m => m.Pod == name) is { } member
                        ? MemberHealth.Problem(member, leaders[0], desired.ReadinessMaxLagBytes)
                        : $"{name} is not a Patroni member")
                    .OfType<string>()
                    .ToArray();
                return problems.Length == 0 ? true : throw new NotYetException(string.Join(" ", problems));
            },
            ct);

    private static DayTwoWait Bound(TimeSpan timeout, Action<string> progress) => new(timeout, progress);

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
