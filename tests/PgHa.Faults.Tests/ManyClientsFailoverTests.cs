using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Scenario 5: several pgbench clients insert unique ids through a crash failover and then a switchover. Failed
/// transactions are counted; in synchronous mode no acknowledged transaction may be lost; in asynchronous mode what
/// is lost must have been acknowledged by the crashed primary just before it crashed.
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class ManyClientsFailoverTests(SharedFaultCluster shared, ITestOutputHelper output)
{
    private const int Clients = 4;

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    public async Task Pgbench_clients_through_a_crash_failover_and_a_switchover_lose_no_acknowledged_transaction_in_synchronous_mode(string synchronousMode)
    {
        var synchronous = synchronousMode != "off";
        await using var lease = await shared.AcquireAsync(output.WriteLine, synchronous);
        var t = lease.Fault.Timings;
        var figures = new FaultFigures("many clients through failovers", ScenarioRounds.Mode(synchronous));
        await ScenarioRounds.RunAsync(lease, figures, $"{Clients} pgbench clients through a crash failover and a switchover ({figures.Mode})",
            t.NewLeader + t.Rejoin + t.Converge + TimeSpan.FromSeconds(90), output.WriteLine,
            (table, clock, round) => RoundAsync(lease.Fault, table, synchronous, figures, clock, round));
        lease.Complete();
    }

    /// <summary>Waits until all of pgbench's clients are connected to <paramref name="member"/> from their address (pg_stat_activity).</summary>
    private async Task WaitClientsConnectedAsync(PatroniMember member, System.Net.IPAddress address) =>
        await Wait.UntilTrueAsync($"{Clients} pgbench connections from {address} on {member}", TimeSpan.FromSeconds(30), async () =>
        {
            var connected = await member.ScalarAsync<long>(
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench' AND host(client_addr) = '{address}'");
            return connected == Clients ? true : throw new NotYetException($"{connected} connected");
        }, output.WriteLine);

    private async Task RoundAsync(FaultCluster fault, string table, bool synchronous, FaultFigures figures, ScenarioClock clock, int round)
    {
        var t = fault.Timings;
        var crashed = await fault.WaitConvergedAsync(t.Converge);
        if (synchronous)
        {
            await fault.Cluster.WaitForSyncStandbyAsync(crashed, t.NewLeader);
        }

        var ledger = new WriteLedger();
        await using var bench = await PgbenchClients.StartAsync(fault, fault.Client(0), ledger, Clients, table, output.WriteLine);
        await Wait.UntilTrueAsync("200 transactions committed by pgbench", TimeSpan.FromSeconds(30), () => Task.FromResult(ledger.Acknowledged.Count >= 200));
        var replicated = await FaultCluster.MarkReplicatedAsync(ledger, crashed, fault.Others(crashed), TimeSpan.FromSeconds(30));
        // pgbench's log is read when a run ends: crash only once a run is under way, every client connected.
        await WaitClientsConnectedAsync(crashed, fault.Client(0));

        var crash = ledger.Mark($"{crashed} crashed");
        await crashed.CrashAsync();
        clock.Phase($"round {round}: {crashed} crashed (SIGKILL) under {Clients} pgbench clients");
        var survivors = fault.Others(crashed).Select(m => m.Name).ToArray();
        await Wait.UntilTrueAsync("pgbench to commit on a new primary", t.NewLeader + TimeSpan.FromSeconds(5),
            () => Task.FromResult(ledger.FirstAcknowledgedBy(survivors, crash) is not null));
        var afterCrash = ledger.FirstAcknowledgedBy(survivors, crash)!;
        var leader = fault.Member(afterCrash.Member);
        clock.Phase($"round {round}: pgbench commits on {leader} {(afterCrash.Answered - crash).TotalSeconds:0.0}s after the crash");
        figures.AddSeconds("writes resume after the crash", afterCrash.Answered - crash);

        // The crashed member comes back (as a restarted pod would) and rejoins; then a planned switchover.
        crashed.Start();
        await fault.Cluster.WaitForStreamingAsync(leader, fault.Others(leader).Select(m => m.Name).ToArray(), t.Rejoin);
        var candidate = synchronous
            ? await fault.Cluster.WaitForSyncStandbyAsync(leader, t.NewLeader)
            : fault.Others(leader).First(m => m != crashed);
        var switchover = ledger.Mark($"switchover {leader} -> {candidate}");
        await FaultCluster.SwitchoverAsync(leader, candidate, t.NewLeader);
        clock.Phase($"round {round}: {crashed} rejoined; switchover {leader} -> {candidate}");
        await Wait.UntilTrueAsync($"pgbench to commit on {candidate}", t.NewLeader,
            () => Task.FromResult(ledger.FirstAcknowledgedBy([candidate.Name], switchover) is not null));
        var afterSwitchover = ledger.FirstAcknowledgedBy([candidate.Name], switchover)!;
        clock.Phase($"round {round}: pgbench commits on {candidate} {(afterSwitchover.Answered - switchover).TotalSeconds:0.0}s after the switchover began");
        figures.AddSeconds("writes resume after the switchover", afterSwitchover.Answered - switchover);
        await Wait.UntilTrueAsync($"200 more transactions committed on {candidate}", TimeSpan.FromSeconds(30),
            () => Task.FromResult(ledger.Acknowledged.Count(r => r.Member == candidate.Name && r.Answered > afterSwitchover.Answered) >= 200));
        await bench.StopAsync();

        var final = await fault.WaitConvergedAsync(t.Converge);
        var report = await LossReport.CheckAsync(final, table, ledger);
        output.WriteLine($"round {round}: pgbench ran {bench.Runs} times ({bench.RunsWithoutConnection} could not connect), {report.Acknowledged} transactions committed, {bench.AbortedClients} failed (client aborted); {report.Describe()}");
        figures.Add("transactions committed", "transactions", report.Acknowledged);
        figures.Add("failed transactions (pgbench client aborted)", "transactions", bench.AbortedClients);
        figures.Add("acknowledged transactions lost", "transactions", report.Lost.Count);
        if (report.Lost.Count > 0)
        {
            figures.AddSeconds("last lost transaction acknowledged after the crash", report.Lost.Max(l => l.Answered) - crash);
        }
        Assert.Empty(report.Phantoms);
        Assert.True(bench.AbortedClients > 0, "the crash and the switchover must have failed some of pgbench's transactions");
        if (synchronous)
        {
            Assert.True(report.Lost.Count == 0, $"synchronous mode lost acknowledged transactions: {report.Describe()}");
        }
        else
        {
            // The crash SIGKILLs the postmaster first: its backends live on for a few milliseconds, until they notice,
            // and may still acknowledge commits that no replica received. Anything else lost is a failure.
            var outside = report.Lost.Where(l => l.Member != crashed.Name || l.Answered < replicated || l.Answered > crash + TimeSpan.FromSeconds(1)).ToArray();
            Assert.True(outside.Length == 0,
                $"asynchronous mode lost transactions other than those the crashed primary acknowledged after its replicas were last seen to have everything, up to a second after its crash: {report.Describe()}");
        }
    }
}
