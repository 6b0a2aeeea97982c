using System.Net;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Scenario 1: the primary is cut off from etcd, from the other members and from every client but one that stands
/// beside it and keeps writing to it. The split-brain window: how long the old primary still acknowledges, when the
/// new primary accepts writes, what the old one acknowledged after that, and what is lost.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class PrimaryIsolationTests(SharedFaultCluster shared, ITestOutputHelper output)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    public async Task Isolated_primary_stops_acknowledging_before_another_is_promoted_and_rejoins_with_nothing_acknowledged_lost(string synchronousMode)
    {
        var synchronous = synchronousMode != "off";
        await using var lease = await shared.AcquireAsync(output.WriteLine, synchronous);
        var t = lease.Fault.Timings;
        var figures = new FaultFigures("primary isolated", ScenarioRounds.Mode(synchronous));
        await ScenarioRounds.RunAsync(lease, figures, $"primary isolated ({figures.Mode})", t.NewLeader + t.Rejoin + t.Converge + TimeSpan.FromSeconds(60),
            output.WriteLine, (table, clock, round) => RoundAsync(lease.Fault, table, synchronous, figures, clock, round));
        lease.Complete();
    }

    private async Task RoundAsync(FaultCluster fault, string table, bool synchronous, FaultFigures figures, ScenarioClock clock, int round)
    {
        var t = fault.Timings;
        var old = await fault.WaitConvergedAsync(t.Converge);
        if (synchronous)
        {
            await fault.Cluster.WaitForSyncStandbyAsync(old, t.NewLeader);
        }

        var others = fault.Others(old);
        var otherNames = others.Select(m => m.Name).ToArray();
        var beside = fault.Client(0);
        var majoritySide = fault.Client(1);
        var ledger = new WriteLedger();
        clock.Phase($"round {round}: {old} leads; a client at {beside} writes to it, one at {majoritySide} tries {string.Join(" and ", otherNames)}");
        await using var besideWriter = AcknowledgingWriter.Start("beside-old-primary", beside, [old], ledger, table, Pace, output.WriteLine);
        await using var majorityWriter = AcknowledgingWriter.Start("majority-side", majoritySide, others, ledger, table, Pace, output.WriteLine);
        await Wait.UntilTrueAsync("50 writes acknowledged by the primary before the cut", TimeSpan.FromSeconds(30),
            () => Task.FromResult(ledger.Acknowledged.Count >= 50));

        var replicated = await FaultCluster.MarkReplicatedAsync(ledger, old, others, TimeSpan.FromSeconds(30));

        // {old primary, the client beside it} | {etcd, the other members, the majority-side client}.
        var oldAddress = FaultCluster.AddressOf(old);
        var cut = ledger.Mark("cut");
        await fault.Cutter.CutAsync([
            (oldAddress, fault.Etcd), .. others.Select(m => (oldAddress, FaultCluster.AddressOf(m))), (oldAddress, majoritySide),
            (beside, fault.Etcd), .. others.Select(m => (beside, FaultCluster.AddressOf(m))),
        ]);
        clock.Phase($"round {round}: {old} and its client cut off from etcd and {string.Join(", ", otherNames)}");

        await Wait.UntilTrueAsync($"{old} to stop accepting writes (as the test, never cut, sees it)", t.NewLeader,
            async () => !await FaultCluster.IsWritableAsync(old));
        var oldStopped = ledger.Mark("old primary read-only");
        clock.Phase($"round {round}: {old} no longer accepts writes, {(oldStopped - cut).TotalSeconds:0.0}s after the cut");

        await Wait.UntilTrueAsync($"one of {string.Join(", ", otherNames)} to acknowledge a write of the majority-side client", t.NewLeader,
            () => Task.FromResult(ledger.FirstAcknowledgedBy(otherNames, cut) is not null));
        var firstNew = ledger.FirstAcknowledgedBy(otherNames, cut)!;
        ledger.Mark($"{firstNew.Member} accepts writes");
        clock.Phase($"round {round}: {firstNew.Member} accepts writes, {(firstNew.Answered - cut).TotalSeconds:0.0}s after the cut");
        await Wait.UntilTrueAsync("50 writes acknowledged by the new primary", TimeSpan.FromSeconds(30),
            () => Task.FromResult(ledger.Acknowledged.Count(r => r.Member == firstNew.Member) >= 50));

        await besideWriter.StopAsync();
        var logOffset = new FileInfo(old.LogPath).Length;
        var postgresLogOffset = new FileInfo(old.PostgresLogPath).Length;
        var dropped = await fault.Cutter.DroppedPacketsAsync();
        await fault.Cutter.HealAsync();
        var healed = ledger.Mark("healed");
        clock.Phase($"round {round}: healed; waiting for {old} to rejoin");

        var newLeader = fault.Member(firstNew.Member);
        await fault.Cluster.WaitForStreamingAsync(newLeader, fault.Others(newLeader).Select(m => m.Name).ToArray(), t.Rejoin);
        var rejoined = ledger.Mark("old primary streams again");
        clock.Phase($"round {round}: {old} streams from {newLeader} {(rejoined - healed).TotalSeconds:0.0}s after healing");
        await Wait.UntilTrueAsync("50 more writes acknowledged by the new primary after the rejoin", TimeSpan.FromSeconds(30),
            () => Task.FromResult(ledger.Acknowledged.Count(r => r.Member == newLeader.Name && r.Answered > rejoined) >= 50));
        await majorityWriter.StopAsync();

        var final = await fault.WaitConvergedAsync(t.Converge);
        var report = await LossReport.CheckAsync(final, table, ledger);
        output.WriteLine($"round {round}: {report.Describe()}");

        var lastOldAck = ledger.LastAcknowledgedBy(old.Name, after: cut);
        var ackedByOldAfterCut = ledger.Acknowledged.Count(r => r.Member == old.Name && r.Answered > cut);
        var ackedByOldAfterPromotion = ledger.Acknowledged.Count(r => r.Member == old.Name && r.Answered >= firstNew.Answered);
        var rejoinLog = await FileText.ReadFromAsync(old.LogPath, logOffset) + await FileText.ReadFromAsync(old.PostgresLogPath, postgresLogOffset);
        var rewound = rejoinLog.Contains("pg_rewind", StringComparison.Ordinal);
        output.WriteLine($"round {round}: the old primary acknowledged {ackedByOldAfterCut} writes after the cut (the last " +
            $"{((lastOldAck?.Answered ?? cut) - cut).TotalSeconds:0.000}s after it), {ackedByOldAfterPromotion} after {firstNew.Member} accepted writes; " +
            $"rejoined {(rewound ? "with pg_rewind" : "without needing pg_rewind")}; the cut dropped {dropped} packets");

        figures.AddSeconds("old primary's last acknowledgement after the cut", (lastOldAck?.Answered ?? cut) - cut);
        figures.AddSeconds("old primary read-only after the cut", oldStopped - cut);
        figures.AddSeconds("new primary accepts writes after the cut", firstNew.Answered - cut);
        figures.Add("writes acknowledged by the old primary after the new one accepted writes", "writes", ackedByOldAfterPromotion);
        figures.Add("acknowledged writes lost", "writes", report.Lost.Count);
        figures.AddSeconds("old primary streams again after healing", rejoined - healed);

        Assert.True(dropped > 0, "the cut must have dropped packets");
        Assert.Empty(report.Phantoms);
        Assert.True(ackedByOldAfterPromotion == 0,
            $"split brain: {old} acknowledged {ackedByOldAfterPromotion} writes after {firstNew.Member} accepted writes at {firstNew.Answered.TotalSeconds:0.000}s{Environment.NewLine}{report.Describe()}");
        Assert.True(lastOldAck is null || lastOldAck.Answered - cut <= t.LeaderStopsWithoutStore,
            $"{old} acknowledged writes until {((lastOldAck?.Answered ?? cut) - cut).TotalSeconds:0.0}s after the cut, longer than loop_wait + 2*retry_timeout + slack ({t.LeaderStopsWithoutStore.TotalSeconds:0}s)");
        Assert.DoesNotContain("Removing data directory", rejoinLog, StringComparison.Ordinal);
        Assert.DoesNotContain("bootstrap from leader", rejoinLog, StringComparison.Ordinal);
        if (synchronous)
        {
            Assert.True(report.Lost.Count == 0, $"synchronous mode lost acknowledged writes: {report.Describe()}");
        }
        else
        {
            // Asynchronous mode may lose what the isolated primary acknowledged after its replicas were last seen to
            // have everything, and nothing else: the loss is bounded by the window in which it still acknowledged.
            var outside = report.Lost.Where(l => l.Member != old.Name || l.Answered < replicated).ToArray();
            Assert.True(outside.Length == 0,
                $"asynchronous mode lost writes outside the isolated primary's window (from the last moment its replicas had every write to its last acknowledgement): {report.Describe()}");
        }
    }
}
