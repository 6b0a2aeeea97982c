using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// What a leader crash loses while replication is stalled: nothing acknowledged in synchronous mode, and
/// acknowledged commits in asynchronous mode (the same test must tell the two apart).
/// </summary>
public sealed class DataLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Synchronous_mode_loses_no_acknowledged_commit()
    {
        var lost = await CrashWhileReplicationIsStalledAsync("on");
        Assert.Empty(lost);
    }

    [Fact]
    public async Task Asynchronous_mode_can_lose_acknowledged_commits()
    {
        var lost = await CrashWhileReplicationIsStalledAsync("off");
        Assert.NotEmpty(lost);
    }

    /// <summary>Acknowledged commits missing on the new leader.</summary>
    private async Task<long[]> CrashWhileReplicationIsStalledAsync(string synchronousMode)
    {
        var settings = LoopbackSettings.Load(("pgha:synchronousMode", synchronousMode));
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        await leader.ExecuteAsync("CREATE TABLE commits (id bigint PRIMARY KEY)");
        var synchronous = synchronousMode != "off";
        if (synchronous)
        {
            // Patroni refuses to fail over while the synchronous standby moves: wait until one is in place.
            await cluster.WaitForSyncStandbyAsync(leader, TimeSpan.FromSeconds(60));
        }

        await using var writer = CommitWriter.Start(leader, "commits");
        await Wait.UntilTrueAsync("50 acknowledged commits", TimeSpan.FromSeconds(30), () => Task.FromResult(writer.AcknowledgedCount >= 50), output.WriteLine);

        // Stall replication: freeze every walsender of the leader.
        var walsenders = await leader.ScalarAsync<int[]>("SELECT coalesce(array_agg(pid), '{}') FROM pg_stat_replication");
        Assert.NotEmpty(walsenders);
        foreach (var pid in walsenders)
        {
            OsProcess.Signal(pid, OsProcess.SigStop);
        }

        var atFreeze = writer.AcknowledgedCount;
        if (synchronous)
        {
            await Wait.UntilTrueAsync("the writer's commit to wait for the synchronous standby", TimeSpan.FromSeconds(15),
                async () => await leader.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") > 0, output.WriteLine);
        }
        else
        {
            await Wait.UntilTrueAsync("20 commits acknowledged while replication is stalled", TimeSpan.FromSeconds(15),
                () => Task.FromResult(writer.AcknowledgedCount >= atFreeze + 20), output.WriteLine);
        }

        await leader.CrashAsync();
        foreach (var pid in walsenders)
        {
            OsProcess.Signal(pid, OsProcess.SigKill);
        }

        await writer.StopAsync();

        var newLeader = await cluster.WaitForLeaderAsync("a new leader after the crash", TimeSpan.FromSeconds(60), leader);
        var lost = await writer.MissingOnAsync(newLeader, "commits");
        output.WriteLine($"synchronous_mode={synchronousMode}: {writer.AcknowledgedCount} acknowledged ({writer.AcknowledgedCount - atFreeze} after the stall), {lost.Length} lost on the new leader {newLeader}");
        return lost;
    }
}
