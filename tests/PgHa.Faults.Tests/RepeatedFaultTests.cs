using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Scenario 6: a fault while the last one is still being repaired. The leader crashes; once another member accepts
/// writes, the crashed member restarts and, while it is still rejoining, the new leader crashes too. The cluster must
/// converge to one primary and two streaming replicas within a bound derived from the Patroni timings, and a client
/// that follows the primary keeps every acknowledged write (synchronous mode).
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class RepeatedFaultTests(SharedFaultCluster shared, ITestOutputHelper output)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    public async Task Leader_crashing_again_while_the_previous_one_rejoins_converges_to_one_primary_and_two_streaming_replicas(string synchronousMode)
    {
        var synchronous = synchronousMode != "off";
        await using var lease = await shared.AcquireAsync(output.WriteLine, synchronous);
        var t = lease.Fault.Timings;
        var figures = new FaultFigures("repeated faults", ScenarioRounds.Mode(synchronous));
        await ScenarioRounds.RunAsync(lease, figures, $"repeated faults ({figures.Mode})", t.NewLeader + SecondFaultConverges(t) + TimeSpan.FromSeconds(60),
            output.WriteLine, (table, clock, round) => RoundAsync(lease.Fault, table, synchronous, figures, clock, round));
        lease.Complete();
    }

    /// <summary>From the second crash to a converged cluster: a failover, then both crashed members rejoin.</summary>
    private static TimeSpan SecondFaultConverges(FaultTimings t) => t.NewLeader + t.Converge;

    private async Task RoundAsync(FaultCluster fault, string table, bool synchronous, FaultFigures figures, ScenarioClock clock, int round)
    {
        var t = fault.Timings;
        var first = await fault.WaitConvergedAsync(t.Converge);
        if (synchronous)
        {
            await fault.Cluster.WaitForSyncStandbyAsync(first, t.NewLeader);
        }

        var ledger = new WriteLedger();
        // A client that follows the primary: it tries each member in turn until one accepts its writes.
        await using var writer = AcknowledgingWriter.Start("follows-primary", fault.Client(0), fault.Members, ledger, table, Pace, output.WriteLine);
        await Wait.UntilTrueAsync("50 writes acknowledged", TimeSpan.FromSeconds(30), () => Task.FromResult(ledger.Acknowledged.Count >= 50));

        var replicated = await FaultCluster.MarkReplicatedAsync(ledger, first, fault.Others(first), TimeSpan.FromSeconds(30));
        var crash1 = ledger.Mark($"{first} crashed");
        await first.CrashAsync();
        clock.Phase($"round {round}: {first} crashed");
        var others = fault.Others(first).Select(m => m.Name).ToArray();
        await Wait.UntilTrueAsync($"one of {string.Join(", ", others)} to acknowledge writes", t.NewLeader,
            () => Task.FromResult(ledger.FirstAcknowledgedBy(others, crash1) is not null));
        var resumed1 = ledger.FirstAcknowledgedBy(others, crash1)!;
        var second = fault.Member(resumed1.Member);
        clock.Phase($"round {round}: {second} accepts writes {(resumed1.Answered - crash1).TotalSeconds:0.0}s after the crash");

        // The crashed member restarts and starts to rejoin; before it streams again, the new leader crashes.
        first.Start();
        var replication = await PatroniCluster.ReplicationAsync(second);
        var firstStreams = replication.TryGetValue(first.Name, out var state) && state.State == "streaming";
        Assert.False(firstStreams, $"{first} already streams from {second}: the second crash would not hit its rejoin");
        var crash2 = ledger.Mark($"{second} crashed while {first} rejoins");
        await second.CrashAsync();
        // Its backends may still answer for a few milliseconds after the postmaster is killed: writes count as
        // resumed only when sent after every process of the crashed member is gone.
        var gone2 = ledger.Mark($"{second}'s processes gone");
        // Restarted at once, as Kubernetes restarts a killed container. Without it no member may take over: in
        // synchronous mode only the last leader and its synchronous standby may be promoted, and with failsafe_mode the
        // /failsafe key that the short-lived leader wrote leaves out the member still rejoining (see docs/reliability.md).
        second.Start();
        clock.Phase($"round {round}: {second} crashed while {first} is still rejoining, and restarted");

        await Wait.UntilTrueAsync("a member to acknowledge writes after the second crash", SecondFaultConverges(t),
            () => Task.FromResult(ledger.FirstAcknowledgedSentAfter(fault.Members.Select(m => m.Name), gone2) is not null), output.WriteLine);
        var resumed2 = ledger.FirstAcknowledgedSentAfter(fault.Members.Select(m => m.Name), gone2)!;
        clock.Phase($"round {round}: {resumed2.Member} accepts writes {(resumed2.Answered - crash2).TotalSeconds:0.0}s after the second crash");
        var final = await fault.WaitConvergedAsync(SecondFaultConverges(t));
        var converged = ledger.Mark($"{final} leads, both replicas stream");
        clock.Phase($"round {round}: converged: {final} leads, both others stream, {(converged - crash2).TotalSeconds:0.0}s after the second crash");
        await Wait.UntilTrueAsync($"50 writes acknowledged by {final} after convergence", TimeSpan.FromSeconds(30),
            () => Task.FromResult(ledger.Acknowledged.Count(r => r.Member == final.Name && r.Answered > converged) >= 50));
        await writer.StopAsync();
        final = await fault.WaitConvergedAsync(t.Converge);

        var report = await LossReport.CheckAsync(final, table, ledger);
        output.WriteLine($"round {round}: {report.Describe()}");
        figures.AddSeconds("writes resume after the first crash", resumed1.Answered - crash1);
        figures.AddSeconds("writes resume after the second crash", resumed2.Answered - crash2);
        figures.AddSeconds("one primary and two streaming replicas after the second crash", converged - crash2);
        figures.Add("acknowledged writes lost", "writes", report.Lost.Count);
        Assert.Empty(report.Phantoms);
        if (synchronous)
        {
            Assert.True(report.Lost.Count == 0, $"synchronous mode lost acknowledged writes: {report.Describe()}");
        }
        else
        {
            // What each crashed primary acknowledged after its replicas were last known to have everything (for the
            // second, short-lived one: everything it acknowledged), up to a second after its crash.
            var windows = new[] { (first.Name, From: replicated, To: crash1 + TimeSpan.FromSeconds(1)), (second.Name, From: resumed1.Answered, To: crash2 + TimeSpan.FromSeconds(1)) };
            var outside = report.Lost.Where(l => !windows.Any(w => w.Item1 == l.Member && l.Answered >= w.From && l.Answered <= w.To)).ToArray();
            Assert.True(outside.Length == 0, $"asynchronous mode lost writes outside the crashed primaries' windows: {report.Describe()}");
        }
    }
}
