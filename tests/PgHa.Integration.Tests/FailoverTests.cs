using System.Diagnostics;
using PgHa.Core.Patroni;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>Crash failover and planned switchover on a cluster with the shipped configuration.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int RowsBefore = 100;

    private static async Task SeedAsync(PatroniMember leader)
    {
        await leader.ExecuteAsync("CREATE TABLE ha_probe (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())");
        await leader.ExecuteAsync($"INSERT INTO ha_probe (id) SELECT generate_series(1, {RowsBefore})");
    }

    private static async Task AssertRowsEverywhereAsync(PatroniCluster cluster, PatroniMember leader, long lastId)
    {
        // Wait for the replicas to replay the latest write, then every member must hold every row.
        var lsn = await leader.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        foreach (var member in cluster.Members)
        {
            await Wait.UntilTrueAsync($"{member} to replay up to {lsn}", TimeSpan.FromSeconds(30),
                async () => await member.ScalarAsync<bool>($"SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= '{lsn}'"));
            Assert.Equal(RowsBefore, await member.ScalarAsync<long>($"SELECT count(*) FROM ha_probe WHERE id <= {RowsBefore}"));
            Assert.Equal(1L, await member.ScalarAsync<long>($"SELECT count(*) FROM ha_probe WHERE id = {lastId}"));
        }
    }

    private static async Task AssertSlotsAsync(PatroniMember leader, IEnumerable<PatroniMember> replicas)
    {
        var expected = replicas.Select(r => PatroniNames.SlotName(r.Name)).Order().ToArray();
        await Wait.UntilTrueAsync($"active slots {string.Join(", ", expected)} on {leader}", TimeSpan.FromSeconds(30), async () =>
        {
            var active = await leader.ScalarAsync<string[]>(
                "SELECT coalesce(array_agg(slot_name::text ORDER BY slot_name), '{}') FROM pg_replication_slots WHERE slot_type = 'physical' AND active");
            return active.SequenceEqual(expected) ? true : throw new NotYetException($"active slots: {string.Join(", ", active)}");
        });
    }

    [Fact]
    public async Task Crashed_leader_is_replaced_within_the_ttl_budget_and_rejoins_as_a_replica()
    {
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine);
        var oldLeader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        await SeedAsync(oldLeader);
        var timelineBefore = await oldLeader.ScalarAsync<int>("SELECT timeline_id FROM pg_control_checkpoint()");
        var budget = FailoverBudget.MaxCrashFailover(cluster.Settings.Patroni);

        var clock = Stopwatch.StartNew();
        await oldLeader.CrashAsync();
        var (newLeader, failover) = await cluster.WaitForFirstWriteAsync(cluster.Members.Where(m => m != oldLeader), "ha_probe", 1001, clock, budget * 2);
        output.WriteLine($"crash failover: {oldLeader} -> {newLeader} in {failover.TotalSeconds:0.0}s (budget {budget.TotalSeconds:0}s from ttl/loop_wait/retry_timeout)");
        Assert.True(failover <= budget, $"failover took {failover.TotalSeconds:0.0}s, more than the {budget.TotalSeconds:0}s the timings allow");
        Assert.True(await newLeader.ScalarAsync<bool>("SELECT NOT pg_is_in_recovery()"));

        // The old leader returns: Patroni rewinds it onto the new timeline (a CHECKPOINT on the new leader first,
        // so pg_rewind sees the new timeline in its control file) instead of cloning it again.
        await newLeader.ExecuteAsync("CHECKPOINT");
        var logBefore = new FileInfo(oldLeader.LogPath).Length;
        oldLeader.Start();
        await cluster.WaitForStreamingAsync(newLeader, cluster.Members.Where(m => m != newLeader).Select(m => m.Name).ToArray(), TimeSpan.FromSeconds(90));
        Assert.True(await oldLeader.ScalarAsync<bool>("SELECT pg_is_in_recovery()"), "the old leader must come back as a replica");
        var rejoinLog = await ReadFromAsync(oldLeader.LogPath, logBefore);
        Assert.DoesNotContain("Removing data directory", rejoinLog, StringComparison.Ordinal);
        Assert.DoesNotContain("bootstrap from leader", rejoinLog, StringComparison.Ordinal);

        Assert.True(await newLeader.ScalarAsync<int>("SELECT timeline_id FROM pg_control_checkpoint()") > timelineBefore);
        await AssertSlotsAsync(newLeader, cluster.Members.Where(m => m != newLeader));
        await AssertRowsEverywhereAsync(cluster, newLeader, 1001);
    }

    [Fact]
    public async Task Switchover_to_a_named_replica_resumes_writes_and_the_old_leader_streams_again()
    {
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine);
        var oldLeader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        await SeedAsync(oldLeader);
        var candidate = cluster.Members.Last(m => m != oldLeader);
        var budget = FailoverBudget.MaxSwitchover(cluster.Settings.Patroni);

        var clock = Stopwatch.StartNew();
        await cluster.SwitchoverAsync(oldLeader, candidate);
        var (writable, elapsed) = await cluster.WaitForFirstWriteAsync([candidate], "ha_probe", 2001, clock, budget * 2);
        output.WriteLine($"switchover {oldLeader} -> {candidate}: writes resumed after {elapsed.TotalSeconds:0.0}s (budget {budget.TotalSeconds:0}s)");
        Assert.Equal(candidate, writable);
        Assert.True(elapsed <= budget, $"switchover took {elapsed.TotalSeconds:0.0}s, more than {budget.TotalSeconds:0}s");

        var leader = await cluster.WaitForLeaderAsync("the candidate to hold the leader lock", TimeSpan.FromSeconds(30), oldLeader);
        Assert.Equal(candidate, leader);
        await cluster.WaitForStreamingAsync(candidate, cluster.Members.Where(m => m != candidate).Select(m => m.Name).ToArray(), TimeSpan.FromSeconds(60));
        Assert.True(await oldLeader.ScalarAsync<bool>("SELECT pg_is_in_recovery()"));
        await AssertSlotsAsync(candidate, cluster.Members.Where(m => m != candidate));
        await AssertRowsEverywhereAsync(cluster, candidate, 2001);
    }

    private static async Task<string> ReadFromAsync(string path, long offset)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
