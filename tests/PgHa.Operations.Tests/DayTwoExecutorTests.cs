using PgHa.Core.DayTwo;
using PgHa.Operations.DayTwo;
using PgHa.Testing;

namespace PgHa.Operations.Tests;

/// <summary>The executor's rules on a stand-in cluster: refusal, order, stop at the first failure, resume, rotation.</summary>
public sealed class DayTwoExecutorTests(ITestOutputHelper output)
{
    private static readonly DayTwoTimeouts Short = new(
        PodReplaced: TimeSpan.FromSeconds(2), MemberBack: TimeSpan.FromSeconds(2), OthersHealthy: TimeSpan.FromSeconds(2),
        PendingRestart: TimeSpan.FromSeconds(2), Switchover: TimeSpan.FromSeconds(2), Volume: TimeSpan.FromSeconds(2), Scale: TimeSpan.FromSeconds(2));

    private static DesiredState Desired(string config = "{\"ttl\": 20}", int replicas = 3, IReadOnlyList<AppDeployment>? apps = null) =>
        new(SimulatedDayTwoCluster.Name, replicas, "20Gi", 20L << 30, LivePatroniConfiguration.FromJson(config), 16L << 20, false, apps ?? []);

    private readonly List<string> _progress = [];

    private void Progress(string line)
    {
        _progress.Add(line);
        output.WriteLine(line);
    }

    [Fact]
    public async Task A_rollout_restarts_replicas_then_switches_over_once_to_an_updated_replica_then_the_old_primary()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 1);

        var result = await new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(), Progress, CancellationToken.None);

        Assert.Equal(["recreate db-2", "recreate db-0", "switchover db-1 -> db-0", "recreate db-1"], cluster.Actions);
        Assert.Equal(1, result.Plan.LeaderChanges);
        Assert.All(cluster.Members, m => Assert.Equal(SimulatedDayTwoCluster.NewRevision, m.Revision));
        Assert.Contains(_progress, l => l.StartsWith("[step 1/7] restart db-2", StringComparison.Ordinal));
        Assert.Contains(_progress, l => l.StartsWith("[step 7/7] done", StringComparison.Ordinal));
    }

    /// <summary>
    /// The rollout that moves a cluster to HTTPS on Patroni's REST API: the old leader (plain HTTP, without the cluster's
    /// CA) cannot check an updated candidate, so Patroni would refuse the switchover; the leader's pod is recreated instead
    /// (Patroni hands the lock to an updated replica when it shuts down), once, and the plan's later restart of it is skipped.
    /// </summary>
    [Fact]
    public async Task A_switchover_patroni_cannot_do_hands_over_by_recreating_the_leader_once_to_an_updated_replica()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 1);
        cluster.SwitchoverBlocked.Add("db-1");

        var result = await new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(), Progress, CancellationToken.None);

        Assert.Equal(["recreate db-2", "recreate db-0", "recreate db-1"], cluster.Actions);
        Assert.Equal(1, result.Plan.LeaderChanges);
        var leader = Assert.Single(cluster.Members, m => m.IsLeader);
        Assert.NotEqual("db-1", leader.Pod);
        Assert.All(cluster.Members, m => Assert.Equal(SimulatedDayTwoCluster.NewRevision, m.Revision));
        Assert.Contains(_progress, l => l.Contains("handing over by restarting db-1 instead", StringComparison.Ordinal));
        Assert.Contains(_progress, l => l.Contains("db-1 was already restarted to hand over the leadership", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unhealthy_cluster_is_refused_with_what_is_wrong_and_nothing_is_done()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 0);
        cluster.Set("db-2", m => m with { State = MemberState.Stopped, LagBytes = null });

        var e = await Assert.ThrowsAsync<DayTwoRefusedException>(() => new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(), Progress, CancellationToken.None));

        Assert.Contains("db-2 is stopped, not streaming from the leader.", e.Message, StringComparison.Ordinal);
        Assert.Empty(cluster.Actions);
    }

    [Fact]
    public async Task A_member_that_does_not_come_back_stops_the_rollout_there_and_the_next_run_resumes()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 1);
        cluster.NeverReturns.Add("db-0");

        var e = await Assert.ThrowsAsync<DayTwoStepFailedException>(() => new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(), Progress, CancellationToken.None));

        Assert.Equal(["recreate db-2", "recreate db-0"], cluster.Actions);
        Assert.Equal(new AwaitMember("db-0", 16L << 20), e.FailedStep);
        Assert.Contains("step 4 of 7 failed: wait until db-0 is back", e.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 2s waiting for db-0 to be back", e.Message, StringComparison.Ordinal);
        Assert.Contains("db-0 is stopped", e.Message, StringComparison.Ordinal);
        Assert.Contains("not started: switchover db-1 -> db-0", e.Message, StringComparison.Ordinal);
        Assert.Contains("run pulumi up again: it resumes", e.Message, StringComparison.Ordinal);

        // The pod is scheduled at last; the next run skips the members already on the new revision.
        cluster.Set("db-0", m => m with { State = MemberState.Streaming, LagBytes = 0 });
        cluster.Actions.Clear();
        await new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(), Progress, CancellationToken.None);
        Assert.Equal(["switchover db-1 -> db-0", "recreate db-1"], cluster.Actions);
    }

    [Fact]
    public async Task The_switchover_goes_to_the_candidate_chosen_when_it_runs_never_to_a_member_on_the_old_revision()
    {
        // Planned with db-0 as the candidate (least behind); by the time the switchover runs db-0 is behind, db-2 is not.
        var cluster = new SimulatedDayTwoCluster(3, leader: 1);
        var executor = new DayTwoExecutor(new LaggingAfterRestarts(cluster), Short);

        await executor.ApplyAsync(Desired(), Progress, CancellationToken.None);

        Assert.Contains("switchover db-1 -> db-2", cluster.Actions);
        Assert.Contains(_progress, l => l.Contains("switching over db-1 -> db-2 (planned: db-0)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_differing_configuration_keys_are_patched_after_reading_the_configuration_and_nothing_restarts()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 0, updateRevision: SimulatedDayTwoCluster.OldRevision,
            config: """{"ttl": 20, "loop_wait": 5, "postgresql": {"parameters": {"max_slot_wal_keep_size": "4GB"}}}""");

        await new DayTwoExecutor(cluster, Short).ApplyAsync(
            Desired("""{"ttl": 30, "loop_wait": 5, "postgresql": {"parameters": {"max_slot_wal_keep_size": "8GB"}}}"""), Progress, CancellationToken.None);

        Assert.Equal(["GET /config", """PATCH /config {"postgresql":{"parameters":{"max_slot_wal_keep_size":"8GB"}},"ttl":30}"""], cluster.Actions);
    }

    [Fact]
    public async Task A_rotated_app_password_reaches_the_role_as_a_verifier_then_the_apps_restart()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 0, updateRevision: SimulatedDayTwoCluster.OldRevision);
        cluster.Secrets[CredentialRole.App] = "new-app-password";
        cluster.Verifiers["app"] = ScramVerifier.Create("old-app-password");
        cluster.Rotated.Add(new RotatedCredential(CredentialRole.App, "app"));

        await new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(apps: [new AppDeployment("apps", "api")]), Progress, CancellationToken.None);

        Assert.Equal(["set verifier app", "restart deployment apps/api"], cluster.Actions);
        Assert.True(ScramVerifier.Matches(cluster.Verifiers["app"], "new-app-password", "app"));
        Assert.DoesNotContain(_progress, l => l.Contains("new-app-password", StringComparison.Ordinal));
        Assert.True((await new DayTwoExecutor(cluster, Short).PlanAsync(Desired(), CancellationToken.None)).IsEmpty);
    }

    [Fact]
    public async Task Pending_restarts_restart_the_replicas_then_switch_over_and_the_demoted_leader_is_not_restarted_again()
    {
        var cluster = new SimulatedDayTwoCluster(3, leader: 0, updateRevision: SimulatedDayTwoCluster.OldRevision);
        foreach (var member in cluster.Members.ToArray())
        {
            cluster.Set(member.Pod, m => m with { PendingRestart = true });
        }

        var result = await new DayTwoExecutor(cluster, Short).ApplyAsync(Desired(), Progress, CancellationToken.None);

        Assert.Equal(3, result.Plan.Steps.Count(s => s is RestartPostgres));
        Assert.Equal(["restart postgres db-2", "restart postgres db-1", "switchover db-0 -> db-1"], cluster.Actions);
        Assert.Contains(_progress, l => l.Contains("db-0's PostgreSQL restarted when the switchover demoted it", StringComparison.Ordinal));
        Assert.All(cluster.Members, m => Assert.False(m.PendingRestart));
    }

    /// <summary>The stand-in, except that after both replicas restarted db-0 falls behind (as under a writer).</summary>
    private sealed class LaggingAfterRestarts(SimulatedDayTwoCluster inner) : IDayTwoCluster
    {
        public async Task<ObservedCluster> ObserveAsync(CancellationToken ct)
        {
            var observed = await inner.ObserveAsync(ct);
            var restarted = inner.Actions.Count(a => a.StartsWith("recreate", StringComparison.Ordinal));
            return restarted < 2 ? observed : observed with
            {
                Members = observed.Members.Select(m => m.Pod == "db-0" ? m with { LagBytes = 15L << 20 } : m).ToArray(),
                Configuration = LivePatroniConfiguration.FromJson("""{"ttl": 20, "maximum_lag_on_failover": 1048576}"""),
            };
        }

        public Task RecreatePodAsync(string pod, DayTwoWait wait, CancellationToken ct) => inner.RecreatePodAsync(pod, wait, ct);
        public Task<bool> RestartPostgresAsync(string pod, bool onlyIfPending, CancellationToken ct) => inner.RestartPostgresAsync(pod, onlyIfPending, ct);
        public Task SwitchoverAsync(string leader, string candidate, CancellationToken ct) => inner.SwitchoverAsync(leader, candidate, ct);
        public Task<string?> SwitchoverBlockerAsync(string leader, string candidate, CancellationToken ct) => inner.SwitchoverBlockerAsync(leader, candidate, ct);
        public Task<LivePatroniConfiguration> ReadConfigurationAsync(CancellationToken ct) => inner.ReadConfigurationAsync(ct);
        public Task<LivePatroniConfiguration> PatchConfigurationAsync(string json, CancellationToken ct) => inner.PatchConfigurationAsync(json, ct);
        public Task<string> ReadPasswordAsync(CredentialRole role, CancellationToken ct) => inner.ReadPasswordAsync(role, ct);
        public Task SetPasswordVerifierAsync(string username, string verifier, CancellationToken ct) => inner.SetPasswordVerifierAsync(username, verifier, ct);
        public Task DropReplicationSlotAsync(string slot, CancellationToken ct) => inner.DropReplicationSlotAsync(slot, ct);
        public Task GrowVolumeAsync(string claim, string size, DayTwoWait wait, CancellationToken ct) => inner.GrowVolumeAsync(claim, size, wait, ct);
        public Task ScaleStatefulSetAsync(int replicas, DayTwoWait wait, CancellationToken ct) => inner.ScaleStatefulSetAsync(replicas, wait, ct);
        public Task RestartDeploymentAsync(string ns, string name, CancellationToken ct) => inner.RestartDeploymentAsync(ns, name, ct);
    }
}
