using PgHa.Core.Patroni;
using PgHa.Core.Verification;
using PgHa.Operations.Verification;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>The replication verifier against real loopback clusters: healthy passes, each fault fails with the right message.</summary>
public sealed class VerifierTests(ITestOutputHelper output)
{
    private static VerificationExpectations Expect(PatroniCluster cluster, TimeSpan timeout) =>
        new(cluster.Members.Count, cluster.Settings.Patroni.ReadinessMaxLagBytes, timeout, TimeSpan.FromSeconds(1));

    private static IReadOnlyList<MemberEndpoint> Endpoints(PatroniCluster cluster) =>
        cluster.Members.Select(m => new MemberEndpoint(m.Name, "127.0.0.1", m.PostgresPort)).ToArray();

    private async Task<VerificationReport> VerifyAsync(PatroniCluster cluster, TimeSpan timeout, string? password = null)
    {
        var verifier = VerifierFactory.Create(new VerifierCredentials("postgres", password ?? cluster.SuperuserPassword), connectTimeout: TimeSpan.FromSeconds(2));
        var report = await verifier.VerifyAsync(Endpoints(cluster), Expect(cluster, timeout), output.WriteLine);
        var message = report.Passed ? "passed" : report.FailureMessage();
        output.WriteLine(message);
        Assert.DoesNotContain(cluster.SuperuserPassword, message, StringComparison.Ordinal);
        return report;
    }

    private Task<PatroniCluster> StartAsync() => PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine);

    [Fact]
    public async Task Healthy_cluster_passes_with_a_full_report()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(30));
        Assert.True(report.Passed, report.FailureMessage());
        Assert.Equal(leader.Name, report.Primary);
        Assert.Equal(1, report.Timeline);
        Assert.Equal(cluster.Members.Where(m => m != leader).Select(m => PatroniNames.SlotName(m.Name)).Order(), report.Replicas.Select(r => r.Slot!).Order());
        Assert.All(report.Replicas, r => Assert.True(r.SlotActive));
    }

    [Fact]
    public async Task Stopped_replica_fails_naming_it_and_a_wrong_password_never_shows()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var stopped = cluster.Members.First(m => m != leader);
        await stopped.CrashAsync();
        var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(3));
        Assert.False(report.Passed);
        Assert.Contains(report.Failures, f => f.Name == "members reachable" && f.Observed.StartsWith($"{stopped.Name}:", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Name == $"{stopped.Name} streams from {leader.Name}");

        const string wrong = "Wrong-Pa55word-xyz";
        var denied = await VerifyAsync(cluster, TimeSpan.FromSeconds(2), wrong);
        Assert.Contains("password authentication failed", denied.FailureMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, denied.FailureMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropped_slot_fails_naming_the_slot()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replica = cluster.Members.First(m => m != leader);
        var slot = PatroniNames.SlotName(replica.Name);
        // The leader's Patroni frozen (well under its ttl), so that none of its loops puts the slot back before the
        // verifier looks (a loop that re-reads PostgreSQL's slots would, e.g. the one right after it made them).
        leader.SignalPatroni(OsProcess.SigStop);
        try
        {
            await leader.ExecuteAsync($"SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '{slot}'");
            await Wait.UntilTrueAsync($"slot {slot} to be dropped", TimeSpan.FromSeconds(15), async () =>
            {
                try
                {
                    await leader.ExecuteAsync($"SELECT pg_drop_replication_slot('{slot}')");
                    return true;
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == "55006")
                {
                    // Still active: the replica reconnected before the drop; terminate again.
                    await leader.ExecuteAsync($"SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '{slot}'");
                    return false;
                }
            }, output.WriteLine);

            var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(3));
            Assert.Contains(report.Failures, f => f.Name == $"slot {slot} on {leader.Name}" && f.Observed == "missing");
        }
        finally
        {
            leader.SignalPatroni(OsProcess.SigCont);
        }

        // Thawed, Patroni still does not know: it keeps its own list of the slots it made and re-reads PostgreSQL's only
        // when it starts, when PostgreSQL restarts, or when the cluster comes out of maintenance mode (the runbook's
        // "A replica slot that was dropped by hand"). Out of maintenance mode it makes the missing slot again, the
        // replica streams again, and the verifier passes again.
        await cluster.SetPausedAsync(leader, paused: true);
        await cluster.SetPausedAsync(leader, paused: false);
        Assert.True((await VerifyAsync(cluster, TimeSpan.FromSeconds(60))).Passed, "the slot and the replica's stream must be back once Patroni re-reads the slots");
    }

    [Fact]
    public async Task Lagging_replica_fails_with_observed_and_expected_lag()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var lagging = cluster.Members.First(m => m != leader);
        var startup = await lagging.ScalarAsync<int>("SELECT pid FROM pg_stat_activity WHERE backend_type = 'startup'");
        OsProcess.Signal(startup, OsProcess.SigStop);
        try
        {
            // 32 MB of WAL the replica receives but does not replay: twice the 16 MB threshold.
            await leader.ExecuteAsync("CREATE TABLE lag_probe AS SELECT g AS id, repeat('x', 1000) AS pad FROM generate_series(1, 32000) g");
            var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(10));
            var failure = Assert.Single(report.Failures, f => f.Name == $"{lagging.Name} replay lag");
            Assert.Equal($"at most {cluster.Settings.Patroni.ReadinessMaxLagBytes} bytes", failure.Expected);
        }
        finally
        {
            OsProcess.Signal(startup, OsProcess.SigCont);
        }

        Assert.True((await VerifyAsync(cluster, TimeSpan.FromSeconds(30))).Passed, "the replica must pass again once it replays");
    }

    [Fact]
    public async Task A_second_promoted_primary_is_a_split_brain_naming_both()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var rogue = cluster.Members.First(m => m != leader);
        await cluster.SetPausedAsync(leader, paused: true);
        await rogue.ExecuteAsync("SELECT pg_promote(true, 30)");
        var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(3));
        var failure = Assert.Single(report.Failures, f => f.Name == "exactly one primary");
        Assert.Contains($"split brain: {string.Join(" and ", new[] { leader.Name, rogue.Name }.Order())}", failure.Observed, StringComparison.Ordinal);
    }
}
