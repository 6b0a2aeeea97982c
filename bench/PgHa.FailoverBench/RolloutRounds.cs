using System.Diagnostics;
using System.Net;
using PgHa.Core.DayTwo;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Operations.DayTwo;
using PgHa.Testing;

namespace PgHa.FailoverBench;

/// <summary>
/// Rounds of pod-template changes under a continuous writer on one fresh loopback cluster: for the primary on each
/// member in turn, this project's rollout (<see cref="DayTwoRun"/>) and, as the baseline, an emulated StatefulSet
/// RollingUpdate. A "pod recreate" is what <see cref="LoopbackDayTwoCluster"/> does for the rollout: a graceful stop
/// (SIGTERM to Patroni, as a pod deletion) and a start with the member's configuration from the new template.
/// </summary>
internal static class RolloutRounds
{
    /// <summary>Generous: three restarts and a switchover on a loaded 2-core machine.</summary>
    private static readonly DayTwoTimeouts Timeouts = new(
        PodReplaced: TimeSpan.FromSeconds(120), MemberBack: TimeSpan.FromSeconds(180), OthersHealthy: TimeSpan.FromSeconds(180),
        PendingRestart: TimeSpan.FromSeconds(120), Switchover: TimeSpan.FromSeconds(120), Volume: TimeSpan.FromSeconds(10), Scale: TimeSpan.FromSeconds(10));

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);

    /// <summary>Commits acknowledged before a change starts, and after it ends (which closes the measured window).</summary>
    public const int Settle = 50;

    public static async Task<IReadOnlyDictionary<(int Primary, RestartOrder Order), IReadOnlyList<RolloutResult>>> RunAsync(
        BenchConfiguration configuration, int rounds, BenchProgress progress, Action<string> log)
    {
        var settings = configuration.Settings;
        var synchronous = settings.Patroni.SynchronousMode != SynchronousMode.Off;
        await using var cluster = await PatroniCluster.StartAsync(settings, log: log);
        var loopback = new LoopbackDayTwoCluster(cluster);
        var desired = DesiredState.From(settings, podTemplateChanges: false) with { ClusterName = LoopbackDayTwoCluster.StatefulSet, AppDeployments = [] };
        var results = new Dictionary<(int, RestartOrder), List<RolloutResult>>();
        var run = 0;
        for (var round = 1; round <= rounds; round++)
        {
            for (var primary = 0; primary < cluster.Members.Count; primary++)
            {
                foreach (var order in Enum.GetValues<RestartOrder>())
                {
                    run++;
                    var what = $"{configuration.Name}, round {round} of {rounds}, primary {cluster.Members[primary].Name}, {Describe(order)}";
                    log(progress.Next(what));
                    await PlaceLeaderAsync(cluster, loopback, cluster.Members[primary], synchronous, desired.ReadinessMaxLagBytes, log);
                    var result = await MeasureAsync(cluster, loopback, desired, order, $"rollout_{run}", $"pg-rev-{run + 1}", log);
                    log($"[{what}] leader changes {result.LeaderChanges}, total write gap {result.TotalWriteGap.TotalSeconds:0.0}s, longest {result.LongestWriteGap.TotalSeconds:0.0}s, lost {result.AcknowledgedLost}, took {result.Duration.TotalSeconds:0}s");
                    var key = (primary, order);
                    if (!results.TryGetValue(key, out var list))
                    {
                        results[key] = list = [];
                    }

                    list.Add(result);
                    progress.Done();
                }
            }
        }

        return results.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<RolloutResult>)kv.Value);
    }

    public static string Describe(RestartOrder order) => order switch
    {
        RestartOrder.DatabaseRollout => "this rollout",
        RestartOrder.RollingUpdate => "RollingUpdate (baseline)",
        _ => order.ToString(),
    };

    /// <summary>One pod-template change under a writer that follows the primary; the cluster is healthy before and after.</summary>
    private static async Task<RolloutResult> MeasureAsync(PatroniCluster cluster, LoopbackDayTwoCluster loopback, DesiredState desired, RestartOrder order,
        string table, string revision, Action<string> log)
    {
        var leader = await cluster.WaitForLeaderAsync("a leader", Bound);
        await leader.ExecuteAsync($"CREATE TABLE {table} (id bigint PRIMARY KEY)");
        var timelineBefore = await TimelineAsync(cluster, log);
        await using var writer = ReconnectingCommitWriter.Start(cluster, table);
        await Wait.UntilTrueAsync($"{Settle} acknowledged commits before the change", Bound, () => Task.FromResult(writer.AcknowledgedCount >= Settle), log);

        // Each step of the change is marked on the writer's clock, so a write gap can be placed in the log.
        void Step(string line)
        {
            if (!line.Contains("[progress]", StringComparison.Ordinal))
            {
                writer.Ledger.Mark(line);
            }

            log(line);
        }

        var start = writer.Ledger.Mark("change");
        loopback.ApplyTemplate(revision);
        var events = loopback.Events.Count;
        if (order == RestartOrder.DatabaseRollout)
        {
            await DayTwoRun.ApplyAsync(loopback, desired, Step, CancellationToken.None, Timeouts);
        }
        else
        {
            await RollingUpdateAsync(cluster, loopback, desired.ReadinessMaxLagBytes, Step);
        }

        var end = writer.Ledger.Mark("changed");
        var after = writer.AcknowledgedCount;
        await Wait.UntilTrueAsync($"{Settle} acknowledged commits after the change", Bound, () => Task.FromResult(writer.AcknowledgedCount >= after + Settle), log);
        var windowEnd = writer.Ledger.Now;
        await writer.StopAsync();

        var finalLeader = await cluster.WaitForLeaderAsync("the leader after the change", Bound);
        var timelineAfter = await TimelineAsync(cluster, log);
        var loss = await LossReport.CheckAsync(finalLeader, table, writer.Ledger);
        if (!loss.IsClean)
        {
            log(loss.Describe());
        }

        var acknowledged = writer.Ledger.Acknowledged;
        var gaps = WriteGaps.Measure(acknowledged.Select(r => r.Answered), start, windowEnd);
        var writtenTo = acknowledged.Where(r => r.Answered >= start).Select(r => r.Member).Aggregate(new List<string>(), (seen, m) =>
        {
            if (seen.Count == 0 || seen[^1] != m)
            {
                seen.Add(m);
            }

            return seen;
        });
        var marks = writer.Ledger.Marks;
        foreach (var (gapStart, length) in gaps.Counted)
        {
            var (mark, at) = marks.Last(m => m.At <= gapStart);
            log($"write gap {length.TotalSeconds:0.0}s from +{(gapStart - start).TotalSeconds:0.0}s, {(gapStart - at).TotalSeconds:0.0}s after '{mark}'");
        }

        log($"events: {string.Join("; ", loopback.Events.Skip(events))}; the writer's commits were acknowledged by {string.Join(" -> ", writtenTo)}; {writer.Reconnects} reconnects");
        return new RolloutResult(timelineAfter - timelineBefore, gaps.Total, gaps.Longest, loss.Lost.Count, end - start);
    }

    /// <summary>
    /// The baseline, as a StatefulSet's RollingUpdate with its default ordered policy does it: each pod in descending
    /// ordinal order is deleted and recreated from the new template, and the next one only once every pod is Ready.
    /// </summary>
    private static async Task RollingUpdateAsync(PatroniCluster cluster, LoopbackDayTwoCluster loopback, long maxLagBytes, Action<string> log)
    {
        foreach (var member in cluster.Members.OrderByDescending(m => m.Name, StringComparer.Ordinal))
        {
            log($"RollingUpdate: recreating {member.Name}");
            await loopback.RecreatePodAsync(member.Name, new DayTwoWait(Timeouts.PodReplaced, log), CancellationToken.None);
            await WaitForAllReadyAsync(cluster, maxLagBytes, log);
            log($"RollingUpdate: {member.Name} recreated, every member Ready");
        }
    }

    /// <summary>
    /// Until every member is Ready: the pods' readiness probe (Patroni's <see cref="PatroniConfig.ReadinessPath"/>)
    /// answers 200, and a replica streams from the leader. Polled every 200 ms (a kubelet probes every 5 s, so a real
    /// StatefulSet sees Ready somewhat later: the baseline here is, if anything, faster than the real one).
    /// </summary>
    private static Task WaitForAllReadyAsync(PatroniCluster cluster, long maxLagBytes, Action<string> log) =>
        Wait.UntilTrueAsync("every member to be Ready (readiness probe 200, replicas streaming)", Bound, async () =>
        {
            var status = await cluster.GetStatusAsync() ?? throw new NotYetException("no member's REST API answers");
            var leader = status.Leaders.Count == 1 ? status.Leaders[0].Name : throw new NotYetException($"cluster: {status}");
            var replication = await PatroniCluster.ReplicationAsync(cluster.Member(leader));
            foreach (var member in cluster.Members)
            {
                var (code, body) = await member.GetAsync(PatroniConfig.ReadinessPath(maxLagBytes));
                if (code != HttpStatusCode.OK)
                {
                    throw new NotYetException($"{member.Name}'s readiness probe: {(int)code} {body}");
                }

                if (member.Name != leader && !(replication.TryGetValue(member.Name, out var r) && r.State == "streaming"))
                {
                    throw new NotYetException($"{member.Name} does not stream from {leader}");
                }
            }

            return true;
        }, log);

    /// <summary>
    /// Setup, not measured: the leader onto <paramref name="target"/> by a switchover (in synchronous mode Patroni
    /// switches over only to the synchronous standby, so synchronous mode is off for the move), then until the
    /// cluster is healthy as Patroni reports it, with a synchronous standby in synchronous mode.
    /// </summary>
    private static async Task PlaceLeaderAsync(PatroniCluster cluster, LoopbackDayTwoCluster loopback, PatroniMember target, bool synchronous,
        long maxLagBytes, Action<string> log)
    {
        var leader = await cluster.WaitForHealthyAsync(Bound);
        if (leader != target)
        {
            log($"setup: switching over {leader.Name} -> {target.Name}");
            if (synchronous)
            {
                await loopback.PatchConfigurationAsync("""{"synchronous_mode": false}""", CancellationToken.None);
            }

            await Wait.UntilTrueAsync($"Patroni to switch over {leader.Name} -> {target.Name}", Bound, async () =>
            {
                if ((await cluster.GetStatusAsync())?.Leaders.SingleOrDefault()?.Name == target.Name)
                {
                    return true;
                }

                await cluster.SwitchoverAsync(leader, target);
                return true;
            }, log);
            await Wait.UntilTrueAsync($"{target.Name} to lead and accept writes", Bound, async () =>
                (await cluster.GetStatusAsync())?.Leaders.SingleOrDefault()?.Name == target.Name
                && await target.ScalarAsync<bool>("SELECT NOT pg_is_in_recovery()"), log);
            if (synchronous)
            {
                await loopback.PatchConfigurationAsync("""{"synchronous_mode": true}""", CancellationToken.None);
            }
        }

        await cluster.WaitForHealthyAsync(Bound);
        if (synchronous)
        {
            await cluster.WaitForSyncStandbyAsync(target, Bound);
        }

        await Wait.UntilTrueAsync("Patroni to report every member healthy", Bound, async () =>
        {
            var observed = await loopback.ObserveAsync(CancellationToken.None);
            var leaders = observed.Members.Where(m => m.IsLeader).ToArray();
            var problems = observed.Members.Select(m => MemberHealth.Problem(m, leaders.Length == 1 ? leaders[0] : null, maxLagBytes))
                .OfType<string>().ToArray();
            return leaders.Length == 1 && leaders[0].Pod == target.Name && observed.Members.Count == cluster.Members.Count && problems.Length == 0
                ? true
                : throw new NotYetException($"{leaders.Length} leader(s), {observed.Members.Count} members; {string.Join(" ", problems)}");
        }, log);
    }

    private static async Task<int> TimelineAsync(PatroniCluster cluster, Action<string> log) =>
        (await Wait.UntilAsync("the leader's timeline in Patroni's /cluster", Bound, async () =>
            (await cluster.GetStatusAsync())?.Leaders.SingleOrDefault()?.Timeline is { } t ? Tuple.Create(t) : null, log)).Item1;
}
