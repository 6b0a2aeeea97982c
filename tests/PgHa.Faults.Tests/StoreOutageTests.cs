using System.Net;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Scenario 2: the store (etcd here, the Kubernetes API in the pods) is unreachable from every member for longer than
/// ttl. With failsafe_mode (shipped on) the primary keeps accepting writes while it reaches every member, and stops
/// once it also loses one; with failsafe_mode off (the same test, the setting changed through Patroni's REST API) it
/// demotes as soon as its store calls give up.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class StoreOutageTests(SharedFaultCluster shared, ITestOutputHelper output)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Store_outage_longer_than_ttl_keeps_the_primary_writable_only_with_failsafe_mode_and_only_while_it_reaches_every_member(bool failsafe)
    {
        await using var lease = await shared.AcquireAsync(output.WriteLine, synchronous: false, failsafe);
        var t = lease.Fault.Timings;
        var figures = new FaultFigures("store outage", failsafe ? "asynchronous, failsafe_mode on" : "asynchronous, failsafe_mode off");
        await ScenarioRounds.RunAsync(lease, figures, $"store outage ({figures.Mode})", OutageHold(t) + t.LeaderStopsWithoutStore + t.Converge + TimeSpan.FromSeconds(60),
            output.WriteLine, (table, clock, round) => RoundAsync(lease.Fault, table, failsafe, figures, clock, round));
        lease.Complete();
    }

    /// <summary>How long the outage lasts before the failsafe round also cuts a member: past the lock's expiry (ttl) and a replica's next loop.</summary>
    private static TimeSpan OutageHold(FaultTimings t) => t.TtlSpan + TimeSpan.FromSeconds(t.LoopWait + 2);

    private async Task RoundAsync(FaultCluster fault, string table, bool failsafe, FaultFigures figures, ScenarioClock clock, int round)
    {
        var t = fault.Timings;
        var primary = await fault.WaitConvergedAsync(t.Converge);
        var replicas = fault.Others(primary);
        var ledger = new WriteLedger();
        await using var writer = AcknowledgingWriter.Start("beside-primary", fault.Client(0), [primary], ledger, table, Pace, output.WriteLine);
        await Wait.UntilTrueAsync("50 writes acknowledged before the outage", TimeSpan.FromSeconds(30), () => Task.FromResult(ledger.Acknowledged.Count >= 50));

        var outage = ledger.Mark("etcd cut off from every member");
        await fault.Cutter.IsolateAsync(fault.Etcd, fault.Members.Select(FaultCluster.AddressOf));
        clock.Phase($"round {round}: etcd cut off from every member; {primary} leads, failsafe_mode {(failsafe ? "on" : "off")}");

        if (failsafe)
        {
            // Hold the outage past ttl (+ a loop and a retry): without failsafe the lock would have expired by then.
            var holdUntil = outage + OutageHold(t);
            var failsafeSeen = false;
            while (ledger.Now < holdUntil)
            {
                Assert.True(await FaultCluster.IsWritableAsync(primary), $"{primary} stopped accepting writes {(ledger.Now - outage).TotalSeconds:0.0}s into the store outage although it reaches every member");
                foreach (var replica in replicas)
                {
                    Assert.False(await FaultCluster.IsWritableAsync(replica), $"{replica} accepts writes during the store outage: two primaries");
                }

                var (_, patroni) = await primary.GetAsync("/patroni");
                failsafeSeen |= patroni.Contains("\"failsafe_mode_is_active\": true", StringComparison.Ordinal);
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }

            var held = ledger.Mark("outage held past ttl");
            var gap = ledger.LongestGap(outage, held);
            clock.Phase($"round {round}: {primary} kept acknowledging for {(held - outage).TotalSeconds:0}s of store outage (longest pause {gap.TotalSeconds:0.00}s); now cutting it from {replicas[0]}");
            Assert.True(failsafeSeen, $"{primary}'s REST API never reported failsafe_mode_is_active during the outage");
            // Failsafe mode keeps the primary as it was: no pause as long as one of Patroni's loops.
            Assert.True(gap < TimeSpan.FromSeconds(t.LoopWait), $"{primary} paused acknowledging for {gap.TotalSeconds:0.0}s during the store outage, longer than loop_wait");
            figures.AddSeconds("primary acknowledged writes through a store outage of", held - outage);
            figures.AddSeconds("longest pause in acknowledgements during the outage", gap);

            // Now it also loses one member: failsafe needs every member, so it must stop.
            var memberCut = ledger.Mark($"{primary} cut from {replicas[0]}");
            await fault.Cutter.CutAsync(FaultCluster.AddressOf(primary), FaultCluster.AddressOf(replicas[0]));
            await Wait.UntilTrueAsync($"{primary} to stop accepting writes after losing {replicas[0]}", t.LeaderStopsWithoutStore,
                async () => !await FaultCluster.IsWritableAsync(primary));
            var stopped = ledger.Mark($"{primary} read-only");
            var last = ledger.LastAcknowledgedBy(primary.Name, memberCut)?.Answered ?? memberCut;
            clock.Phase($"round {round}: {primary} read-only {(stopped - memberCut).TotalSeconds:0.0}s after losing {replicas[0]} (last acknowledgement after {(last - memberCut).TotalSeconds:0.0}s)");
            figures.AddSeconds("primary read-only after also losing a member", stopped - memberCut);
            figures.AddSeconds("primary's last acknowledgement after also losing a member", last - memberCut);
        }
        else
        {
            await Wait.UntilTrueAsync($"{primary} to demote without its store", t.LeaderStopsWithoutStore,
                async () => !await FaultCluster.IsWritableAsync(primary));
            var stopped = ledger.Mark($"{primary} read-only");
            var last = ledger.LastAcknowledgedBy(primary.Name, outage)?.Answered ?? outage;
            clock.Phase($"round {round}: {primary} read-only {(stopped - outage).TotalSeconds:0.0}s into the outage (last acknowledgement after {(last - outage).TotalSeconds:0.0}s)");
            figures.AddSeconds("primary read-only after the store became unreachable", stopped - outage);
            figures.AddSeconds("primary's last acknowledgement after the store became unreachable", last - outage);

            // And nobody else takes over without the store: the cluster stays read-only past ttl.
            var pastTtl = outage + OutageHold(t);
            while (ledger.Now < pastTtl)
            {
                foreach (var member in fault.Members)
                {
                    Assert.False(await FaultCluster.IsWritableAsync(member), $"{member} accepts writes while no member reaches the store");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }

        await writer.StopAsync();
        await fault.Cutter.HealAsync();
        var healed = ledger.Mark("healed");
        var final = await fault.WaitConvergedAsync(t.Converge);
        var converged = ledger.Mark($"{final} leads, both replicas stream");
        clock.Phase($"round {round}: healed; {final} leads with both replicas streaming {(converged - healed).TotalSeconds:0.0}s later");
        figures.AddSeconds("converged after the store returned", converged - healed);

        var report = await LossReport.CheckAsync(final, table, ledger);
        output.WriteLine($"round {round}: {report.Describe()}");
        figures.Add("acknowledged writes lost", "writes", report.Lost.Count);
        Assert.Empty(report.Phantoms);
        // The replicas kept streaming from the primary throughout (only etcd, and at the end one replica, were cut),
        // and Patroni promotes only the most advanced member: nothing acknowledged may be lost, even asynchronously.
        Assert.True(report.Lost.Count == 0, $"acknowledged writes lost after the store outage: {report.Describe()}");
    }
}
