using System.Diagnostics;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.FailoverBench;

/// <summary>Runs rounds of crash failover, rejoin and switchover on one fresh loopback cluster.</summary>
internal static class FailoverRounds
{
    private const string Table = "bench_commits";

    public static async Task<IReadOnlyList<RoundResult>> RunAsync(BenchConfiguration configuration, int rounds, Action<string> log)
    {
        await using var cluster = await PatroniCluster.StartAsync(configuration.Settings, log: log);
        var patroni = configuration.Settings.Patroni;
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await leader.ExecuteAsync($"CREATE TABLE {Table} (id bigint PRIMARY KEY)");
        if (patroni.SynchronousMode != SynchronousMode.Off)
        {
            await cluster.WaitForSyncStandbyAsync(leader, TimeSpan.FromSeconds(60));
        }

        var results = new List<RoundResult>();
        long nextId = 1;
        for (var round = 1; round <= rounds; round++)
        {
            log($"[{configuration.Name}] round {round} of {rounds}: crash {leader}");

            // Crash failover under a continuous writer: kill -> first successful write on the new leader.
            var writer = CommitWriter.Start(leader, Table, nextId);
            await Wait.UntilTrueAsync("20 acknowledged commits before the crash", TimeSpan.FromSeconds(30),
                () => Task.FromResult(writer.AcknowledgedCount >= 20), log);
            var clock = Stopwatch.StartNew();
            await leader.CrashAsync();
            await writer.StopAsync();
            nextId += 1_000_000;
            var (newLeader, failover) = await cluster.WaitForFirstWriteAsync(
                cluster.Members.Where(m => m != leader), Table, nextId++, clock, FailoverBudget.MaxCrashFailover(patroni) * 3);
            var lost = (await writer.MissingOnAsync(newLeader, Table)).Length;
            await writer.DisposeAsync();

            // Rejoin: the old leader restarts and streams from the new one (pg_rewind path).
            await newLeader.ExecuteAsync("CHECKPOINT");
            var rejoinClock = Stopwatch.StartNew();
            leader.Start();
            await cluster.WaitForStreamingAsync(newLeader, [leader.Name], TimeSpan.FromSeconds(120));
            var rejoin = rejoinClock.Elapsed;

            // Planned switchover: request -> first successful write on the candidate (in synchronous mode
            // Patroni accepts only the synchronous standby as candidate).
            await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
            var candidate = patroni.SynchronousMode == SynchronousMode.Off
                ? leader
                : await cluster.WaitForSyncStandbyAsync(newLeader, TimeSpan.FromSeconds(60));
            var switchClock = Stopwatch.StartNew();
            await cluster.SwitchoverAsync(newLeader, candidate);
            var (_, switchover) = await cluster.WaitForFirstWriteAsync([candidate], Table, nextId++, switchClock, TimeSpan.FromSeconds(60));
            leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
            if (patroni.SynchronousMode != SynchronousMode.Off)
            {
                await cluster.WaitForSyncStandbyAsync(leader, TimeSpan.FromSeconds(60));
            }

            results.Add(new RoundResult(failover, rejoin, switchover, lost));
            log($"[{configuration.Name}] round {round}: failover {failover.TotalSeconds:0.0}s, rejoin {rejoin.TotalSeconds:0.0}s, switchover {switchover.TotalSeconds:0.0}s, lost {lost}");
        }

        return results;
    }
}
