using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Scenario 3: in synchronous mode the synchronous standby is cut off from everything (primary, other replica, etcd,
/// clients). Commits wait for it until Patroni moves the synchronous role to the other replica; nothing acknowledged
/// is lost; after healing the cut-off replica catches up.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class ReplicaIsolationTests(SharedFaultCluster shared, ITestOutputHelper output)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Until the synchronous role moves: the cut-off standby's member key must expire (ttl) and the leader act on it
    /// (a loop, a retry); PostgreSQL's own wal_sender_timeout (60 s) may end its walsender first or later.
    /// </summary>
    private static TimeSpan SyncRoleMoves(FaultTimings t) => t.MemberExpires + TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Isolated_synchronous_standby_stalls_commits_until_the_role_moves_and_loses_nothing()
    {
        await using var lease = await shared.AcquireAsync(output.WriteLine, synchronous: true);
        var t = lease.Fault.Timings;
        var figures = new FaultFigures("replica isolated", ScenarioRounds.Mode(synchronous: true));
        await ScenarioRounds.RunAsync(lease, figures, "replica isolated (synchronous)", SyncRoleMoves(t) + t.Rejoin + t.Converge + TimeSpan.FromSeconds(60),
            output.WriteLine, (table, clock, round) => RoundAsync(lease.Fault, table, figures, clock, round));
        lease.Complete();
    }

    private async Task RoundAsync(FaultCluster fault, string table, FaultFigures figures, ScenarioClock clock, int round)
    {
        var t = fault.Timings;
        var leader = await fault.WaitConvergedAsync(t.Converge);
        var standby = await fault.Cluster.WaitForSyncStandbyAsync(leader, t.NewLeader);
        var other = fault.Others(leader).Single(m => m != standby);
        var ledger = new WriteLedger();
        await using var writer = AcknowledgingWriter.Start("beside-primary", fault.Client(0), [leader], ledger, table, Pace, output.WriteLine);
        await Wait.UntilTrueAsync("50 writes acknowledged before the cut", TimeSpan.FromSeconds(30), () => Task.FromResult(ledger.Acknowledged.Count >= 50));

        var cut = ledger.Mark($"{standby} cut off");
        await fault.Cutter.IsolateAsync(FaultCluster.AddressOf(standby),
            [FaultCluster.AddressOf(leader), FaultCluster.AddressOf(other), fault.Etcd, fault.Client(0)]);
        clock.Phase($"round {round}: synchronous standby {standby} cut off from {leader}, {other}, etcd and the client");

        await Wait.UntilTrueAsync($"Patroni to make {other} the synchronous standby", SyncRoleMoves(t), async () =>
        {
            var status = await fault.Cluster.GetStatusAsync([leader, other]);
            var replication = await PatroniCluster.ReplicationAsync(leader);
            return status?.Members.Any(m => m.Name == other.Name && m.IsSyncStandby) == true
                && replication.TryGetValue(other.Name, out var r) && r.SyncState == "sync"
                    ? true
                    : throw new NotYetException($"cluster: {status}; pg_stat_replication: {string.Join(", ", replication.Select(kv => $"{kv.Key}={kv.Value}"))}");
        }, output.WriteLine);
        var moved = ledger.Mark($"{other} synchronous");
        await Wait.UntilTrueAsync("50 writes acknowledged after the synchronous role moved", TimeSpan.FromSeconds(30),
            () => Task.FromResult(ledger.Acknowledged.Count(r => r.Answered > moved) >= 50));
        var stall = ledger.LongestGap(cut, ledger.Now);
        clock.Phase($"round {round}: {other} is synchronous {(moved - cut).TotalSeconds:0.0}s after the cut; commits stalled {stall.TotalSeconds:0.0}s at most");
        figures.AddSeconds("synchronous role moved after the cut", moved - cut);
        figures.AddSeconds("longest commit stall", stall);
        Assert.True(await FaultCluster.IsWritableAsync(leader), $"{leader} must still lead: cutting off a replica is no reason to fail over");

        await fault.Cutter.HealAsync();
        var healed = ledger.Mark("healed");
        await fault.Cluster.WaitForStreamingAsync(leader, [standby.Name, other.Name], t.Rejoin);
        await FaultCluster.WaitCaughtUpAsync(leader, standby, t.Rejoin);
        var caughtUp = ledger.Mark($"{standby} caught up");
        clock.Phase($"round {round}: {standby} streams and has caught up {(caughtUp - healed).TotalSeconds:0.0}s after healing");
        figures.AddSeconds("cut-off replica caught up after healing", caughtUp - healed);
        await writer.StopAsync();

        var final = await fault.WaitConvergedAsync(t.Converge);
        Assert.Equal(leader, final);
        var report = await LossReport.CheckAsync(final, table, ledger);
        output.WriteLine($"round {round}: {report.Describe()}");
        figures.Add("acknowledged writes lost", "writes", report.Lost.Count);
        Assert.Empty(report.Phantoms);
        Assert.True(report.Lost.Count == 0, $"synchronous mode lost acknowledged writes: {report.Describe()}");

        // The replica that was cut off holds every acknowledged write too, once it has replayed the primary's last WAL.
        await FaultCluster.WaitCaughtUpAsync(final, standby, t.Rejoin);
        var onStandby = await LossReport.CheckAsync(standby, table, ledger);
        Assert.True(onStandby.Lost.Count == 0, $"the replica that was cut off is missing acknowledged writes after catching up: {onStandby.Describe()}");
    }
}
