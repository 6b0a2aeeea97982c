using System.Security.Cryptography;
using Npgsql;
using Npgsql.Replication;
using PgHa.Core.DayTwo;
using PgHa.Core.Settings;
using PgHa.Operations.DayTwo;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// The day-2 executor against a real 3-member Patroni cluster (<see cref="LoopbackDayTwoCluster"/>: a "pod restart" is
/// a graceful stop and a start with the member's new configuration): rollouts, live settings, restarts, rotations.
/// </summary>
public sealed class DayTwoRolloutTests(ITestOutputHelper output)
{
    /// <summary>Generous: three restarts and a switchover on a loaded 2-core machine.</summary>
    private static readonly DayTwoTimeouts Timeouts = new(
        PodReplaced: TimeSpan.FromSeconds(120), MemberBack: TimeSpan.FromSeconds(180), OthersHealthy: TimeSpan.FromSeconds(180),
        PendingRestart: TimeSpan.FromSeconds(120), Switchover: TimeSpan.FromSeconds(120), Volume: TimeSpan.FromSeconds(10), Scale: TimeSpan.FromSeconds(10));

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private static DesiredState Desired(PgHaSettings settings, IReadOnlyDictionary<string, ConfigValue>? extraConfig = null,
        IReadOnlyList<AppDeployment>? apps = null)
    {
        var desired = DesiredState.From(settings, podTemplateChanges: false) with { ClusterName = LoopbackDayTwoCluster.StatefulSet, AppDeployments = apps ?? [] };
        if (extraConfig is null)
        {
            return desired;
        }

        var values = desired.Configuration.Values.ToDictionary(v => v.Key, v => v.Value);
        foreach (var (key, value) in extraConfig)
        {
            values[key] = value;
        }

        return desired with { Configuration = new LivePatroniConfiguration(values) };
    }

    private async Task<(PatroniMember Leader, int Timeline)> LeaderAsync(PatroniCluster cluster)
    {
        var leader = await cluster.WaitForLeaderAsync("a leader", Bound);
        var timeline = await Wait.UntilAsync("the leader's timeline in Patroni's /cluster", Bound, async () =>
            (await cluster.GetStatusAsync())?.Leaders.SingleOrDefault()?.Timeline is { } t ? Tuple.Create(t) : null, output.WriteLine);
        return (leader, timeline.Item1);
    }

    /// <summary>
    /// Until Patroni itself reports every member healthy (its /cluster state trails pg_stat_replication by up to a loop):
    /// what an operator waits for before running pulumi up again.
    /// </summary>
    private async Task WaitUntilPatroniReportsHealthyAsync(LoopbackDayTwoCluster loopback) =>
        await Wait.UntilTrueAsync("Patroni to report every member healthy", Bound, async () =>
        {
            var observed = await loopback.ObserveAsync(CancellationToken.None);
            var leader = observed.Members.Where(m => m.IsLeader).ToArray();
            var problems = observed.Members.Select(m => MemberHealth.Problem(m, leader.Length == 1 ? leader[0] : null, 16L << 20)).OfType<string>().ToArray();
            return leader.Length == 1 && observed.Members.Count == 3 && problems.Length == 0
                ? true
                : throw new NotYetException($"{leader.Length} leader(s), {observed.Members.Count} members; {string.Join(" ", problems)}");
        }, output.WriteLine);

    [Fact]
    public async Task A_rollout_under_a_writer_in_synchronous_mode_changes_the_leader_once_to_an_updated_member_and_loses_nothing()
    {
        var settings = LoopbackSettings.Load(("pgha:synchronousMode", "on"));
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(Bound);
        await leader.ExecuteAsync("CREATE TABLE commits (id bigint PRIMARY KEY)");
        await cluster.WaitForSyncStandbyAsync(leader, Bound);
        var (_, timelineBefore) = await LeaderAsync(cluster);
        var loopback = new LoopbackDayTwoCluster(cluster);
        await WaitUntilPatroniReportsHealthyAsync(loopback);

        await using var writer = ReconnectingCommitWriter.Start(cluster, "commits");
        await Wait.UntilTrueAsync("50 acknowledged commits", Bound, () => Task.FromResult(writer.AcknowledgedCount >= 50), output.WriteLine);
        loopback.ApplyTemplate("pg-rev-2");
        var result = await DayTwoRun.ApplyAsync(loopback, Desired(settings), output.WriteLine, CancellationToken.None, Timeouts);
        var afterRollout = writer.AcknowledgedCount;
        await Wait.UntilTrueAsync("50 more commits after the rollout", Bound, () => Task.FromResult(writer.AcknowledgedCount >= afterRollout + 50), output.WriteLine);
        await writer.StopAsync();

        var (newLeader, timelineAfter) = await LeaderAsync(cluster);
        var lost = await writer.MissingOnAsync(newLeader, "commits");
        output.WriteLine($"events: {string.Join("; ", loopback.Events)}; {writer.AcknowledgedCount} acknowledged, {writer.Reconnects} reconnects, {lost.Length} lost");

        Assert.Equal(1, result.Plan.LeaderChanges);
        Assert.NotEqual(leader.Name, newLeader.Name);
        Assert.Equal(timelineBefore + 1, timelineAfter);
        Assert.Empty(lost);
        var events = loopback.Events.ToList();
        var switchover = Assert.Single(events, e => e.StartsWith("switchover ", StringComparison.Ordinal));
        Assert.Equal($"switchover {leader.Name} -> {newLeader.Name}", switchover);
        Assert.True(events.IndexOf($"recreate {newLeader.Name}") is >= 0 and var restarted && restarted < events.IndexOf(switchover),
            $"the switchover went to {newLeader.Name} before it was restarted on the new revision: {string.Join("; ", events)}");
        Assert.Equal($"recreate {leader.Name}", events[^1]);
        Assert.All(cluster.Members, m => Assert.Equal("pg-rev-2", loopback.Revision(m.Name)));
        Assert.True((await DayTwoRun.PlanAsync(loopback, Desired(settings))).IsEmpty);
    }

    [Fact]
    public async Task A_dynamic_setting_is_live_without_a_restart_and_a_restart_requiring_one_takes_effect_with_one_leader_change()
    {
        var settings = LoopbackSettings.Load();
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var (leader, timeline) = await LeaderAsync(cluster);
        await cluster.WaitForHealthyAsync(Bound);
        var loopback = new LoopbackDayTwoCluster(cluster);
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        Assert.True((await DayTwoRun.PlanAsync(loopback, Desired(settings))).IsEmpty, "a fresh cluster already has its settings");
        var started = await Task.WhenAll(cluster.Members.Select(m => m.ScalarAsync<DateTime>("SELECT pg_postmaster_start_time()")));

        // Dynamic: Patroni's ttl and max_slot_wal_keep_size.
        var changed = LoopbackSettings.Load(("pgha:patroniTtl", "30"), ("pgha:maxSlotWalKeepSize", "8GB"));
        var plan = await DayTwoRun.PlanAsync(loopback, Desired(changed));
        Assert.IsType<PatchPatroniConfiguration>(Assert.Single(plan.Steps));
        await DayTwoRun.ApplyAsync(loopback, Desired(changed), output.WriteLine, CancellationToken.None, Timeouts);

        foreach (var member in cluster.Members)
        {
            // Each member's REST API answers from its own view of the store, which follows within a moment.
            await Wait.UntilTrueAsync($"{member.Name}'s GET /config to show ttl 30 and max_slot_wal_keep_size 8GB", Bound, async () =>
            {
                var (_, body) = await member.GetAsync("/config");
                var config = LivePatroniConfiguration.FromJson(body);
                return config.Values["/ttl"].Text == "30" && config.Values["/postgresql/parameters/max_slot_wal_keep_size"].Text == "8GB"
                    ? true
                    : throw new NotYetException(body);
            }, output.WriteLine);
            await Wait.UntilTrueAsync($"{member.Name} to use max_slot_wal_keep_size 8GB", Bound,
                async () => await member.ScalarAsync<string>("SHOW max_slot_wal_keep_size") == "8GB", output.WriteLine);
        }

        Assert.Equal(started, await Task.WhenAll(cluster.Members.Select(m => m.ScalarAsync<DateTime>("SELECT pg_postmaster_start_time()"))));
        Assert.Equal((leader.Name, timeline), await LeaderAsync(cluster) is var (l, t) ? (l.Name, t) : default);
        Assert.DoesNotContain(loopback.Events, e => !e.StartsWith("PATCH /config", StringComparison.Ordinal));

        // Restart-requiring: max_connections.
        var restart = Desired(changed, new Dictionary<string, ConfigValue> { ["/postgresql/parameters/max_connections"] = new("150", ConfigValueKind.Number) });
        plan = await DayTwoRun.PlanAsync(loopback, restart);
        Assert.Equal(1, plan.LeaderChanges);
        Assert.Equal(3, plan.Steps.Count(s => s is RestartPostgres));
        await DayTwoRun.ApplyAsync(loopback, restart, output.WriteLine, CancellationToken.None, Timeouts);

        var (newLeader, newTimeline) = await LeaderAsync(cluster);
        Assert.NotEqual(leader.Name, newLeader.Name);
        Assert.Equal(timeline + 1, newTimeline);
        foreach (var member in cluster.Members)
        {
            Assert.Equal("150", await member.ScalarAsync<string>("SHOW max_connections"));
        }

        Assert.DoesNotContain(loopback.Events, e => e.StartsWith("recreate", StringComparison.Ordinal));
        Assert.True((await DayTwoRun.PlanAsync(loopback, restart)).IsEmpty);
    }

    [Fact]
    public async Task A_rotated_replication_password_keeps_every_member_streaming_and_the_old_one_is_refused_then_the_app_password_rotates()
    {
        var settings = LoopbackSettings.Load();
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(Bound);
        var loopback = new LoopbackDayTwoCluster(cluster);
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        var replicator = settings.Credentials.Replication.Username;
        var oldReplication = cluster.ReplicationPassword;
        var newReplication = "repl-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        loopback.Secrets[CredentialRole.Replication] = new RoleSecret(CredentialRole.Replication, replicator, newReplication);

        var plan = await DayTwoRun.PlanAsync(loopback, Desired(settings));
        Assert.Equal(new RotatePassword(CredentialRole.Replication, replicator), plan.Steps[0]);
        await DayTwoRun.ApplyAsync(loopback, Desired(settings), output.WriteLine, CancellationToken.None, Timeouts);

        Assert.Equal(3, loopback.Events.Count(e => e.StartsWith("recreate", StringComparison.Ordinal)));
        Assert.Single(loopback.Events, e => e.StartsWith("switchover", StringComparison.Ordinal));
        var newLeader = await cluster.WaitForHealthyAsync(Bound);
        var replication = await PatroniCluster.ReplicationAsync(newLeader);
        Assert.All(cluster.Members.Where(m => m != newLeader), m => Assert.Equal("streaming", replication[m.Name].State));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => OpenReplicationAsync(newLeader, replicator, oldReplication));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        await OpenReplicationAsync(newLeader, replicator, newReplication);

        // The app's password: set as a verifier on the primary, then the app's Deployments restart.
        await newLeader.ExecuteAsync("CREATE ROLE app_user LOGIN PASSWORD 'old-app-password'");
        var newApp = "app-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        loopback.Secrets[CredentialRole.App] = new RoleSecret(CredentialRole.App, "app_user", newApp);
        var before = loopback.Events.Count;
        await DayTwoRun.ApplyAsync(loopback, Desired(settings, apps: [new AppDeployment("apps", "api")]), output.WriteLine, CancellationToken.None, Timeouts);

        Assert.Equal(["set verifier app_user", "restart deployment apps/api"], loopback.Events.Skip(before));
        await using (var app = new NpgsqlConnection(AppConnection(newLeader, newApp)))
        {
            await app.OpenAsync();
        }

        var oldApp = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var app = new NpgsqlConnection(AppConnection(newLeader, "old-app-password"));
            await app.OpenAsync();
        });
        Assert.Equal(PostgresErrorCodes.InvalidPassword, oldApp.SqlState);
        Assert.All(cluster.Members, m =>
        {
            var log = File.ReadAllText(m.PostgresLogPath) + File.ReadAllText(m.LogPath);
            Assert.DoesNotContain(newApp, log, StringComparison.Ordinal);
            Assert.DoesNotContain(newReplication, log, StringComparison.Ordinal);
        });
        Assert.True((await DayTwoRun.PlanAsync(loopback, Desired(settings))).IsEmpty);
    }

    [Fact]
    public async Task A_rotated_superuser_password_reaches_the_role_every_member_restarts_with_it_and_Patroni_still_rewinds_a_failed_primary()
    {
        var settings = LoopbackSettings.Load();
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(Bound);
        await leader.ExecuteAsync("CREATE TABLE rotation_probe (id bigint PRIMARY KEY)");
        var loopback = new LoopbackDayTwoCluster(cluster);
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        var oldSuperuser = cluster.SuperuserPassword;
        var newSuperuser = "super-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        // As on Kubernetes: the Secret holds the new password before the rollout runs; the role and the running members have the old one.
        loopback.Secrets[CredentialRole.Superuser] = new RoleSecret(CredentialRole.Superuser, Defaults.SuperuserName, newSuperuser);

        var plan = await DayTwoRun.PlanAsync(loopback, Desired(settings));
        Assert.True(loopback.RefusedSuperuserSecret > 0, "the primary accepted the Secret's new superuser password before the rotation");
        Assert.Equal(new RotatePassword(CredentialRole.Superuser, Defaults.SuperuserName), plan.Steps[0]);
        Assert.Equal(3, plan.Steps.OfType<RecreatePod>().Count(r => r.Reasons.Contains(RestartReason.SuperuserPassword)));
        await DayTwoRun.ApplyAsync(loopback, Desired(settings), output.WriteLine, CancellationToken.None, Timeouts);

        var events = loopback.Events.ToList();
        output.WriteLine($"events: {string.Join("; ", events)}");
        Assert.Equal($"set verifier {Defaults.SuperuserName}", events[0]);
        Assert.Equal(3, events.Count(e => e.StartsWith("recreate", StringComparison.Ordinal)));
        Assert.Single(events, e => e.StartsWith("switchover", StringComparison.Ordinal));
        Assert.Equal($"recreate {leader.Name}", events[^1]);

        // The role has the new password: refused the old one, accepts the new one (the test's connections use it from here).
        cluster.UseSuperuserPassword(newSuperuser);
        var newLeader = await cluster.WaitForHealthyAsync(Bound);
        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var old = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(newLeader.ConnectionString()) { Password = oldSuperuser }.ConnectionString);
            await old.OpenAsync();
        });
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        Assert.False(await newLeader.ScalarAsync<bool>("SELECT pg_is_in_recovery()"));
        var replication = await PatroniCluster.ReplicationAsync(newLeader);
        Assert.All(cluster.Members.Where(m => m != newLeader), m => Assert.Equal("streaming", replication[m.Name].State));
        // Patroni still manages every member, each started with the new Secret.
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        Assert.True((await DayTwoRun.PlanAsync(loopback, Desired(settings))).IsEmpty);

        // pg_rewind connects to the new primary as the superuser with the password from the member's configuration. Make it
        // needed: the replicas' WAL receivers are frozen while the primary writes, then the primary fails; the promoted
        // replica never saw those writes, so the old primary must be rewound (not cloned again) to rejoin.
        var receivers = new List<int>();
        foreach (var replica in cluster.Members.Where(m => m != newLeader))
        {
            receivers.Add(await replica.ScalarAsync<int>("SELECT pid FROM pg_stat_wal_receiver"));
        }

        try
        {
            receivers.ForEach(pid => OsProcess.Signal(pid, OsProcess.SigStop));
            await newLeader.ExecuteAsync("INSERT INTO rotation_probe SELECT generate_series(1, 100)");
            await newLeader.CrashAsync();
        }
        finally
        {
            receivers.ForEach(pid => OsProcess.Signal(pid, OsProcess.SigCont));
        }

        var promoted = await cluster.WaitForLeaderAsync("a replica to take over from the crashed primary", Bound, newLeader);
        await Wait.UntilTrueAsync($"{promoted} to run as the primary", Bound, async () => !await promoted.ScalarAsync<bool>("SELECT pg_is_in_recovery()"), output.WriteLine);
        await promoted.ExecuteAsync("CHECKPOINT");
        var logBefore = new FileInfo(newLeader.LogPath).Length;
        newLeader.Start();
        await cluster.WaitForStreamingAsync(promoted, cluster.Members.Where(m => m != promoted).Select(m => m.Name).ToArray(), Bound);
        var rejoin = await ReadFromAsync(newLeader.LogPath, logBefore);
        output.WriteLine($"{newLeader}'s rejoin: {string.Join(" | ", rejoin.Split('\n').Where(l => l.Contains("rewind", StringComparison.OrdinalIgnoreCase)))}");
        Assert.Contains("running pg_rewind from", rejoin, StringComparison.Ordinal);
        Assert.DoesNotContain("Removing data directory", rejoin, StringComparison.Ordinal);
        Assert.DoesNotContain("pg_rewind failed", rejoin, StringComparison.OrdinalIgnoreCase);
        Assert.True(await newLeader.ScalarAsync<bool>("SELECT pg_is_in_recovery()"), $"{newLeader} must rejoin as a replica");
        Assert.All(cluster.Members, m =>
        {
            var log = File.ReadAllText(m.PostgresLogPath) + File.ReadAllText(m.LogPath);
            Assert.DoesNotContain(newSuperuser, log, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Which app password works when, and for how long app pods still running with the old one have their new
    /// connections refused: from the app role's ALTER ROLE to the Deployment restart, alone and with a member rollout in
    /// the same run. Asserts the behaviour (the switch happens exactly at the ALTER ROLE, the restart comes last); the
    /// times are printed, not asserted.
    /// </summary>
    [Fact]
    public async Task The_old_app_password_is_refused_from_the_ALTER_ROLE_on_and_the_app_restarts_last_alone_or_after_a_member_rollout()
    {
        var settings = LoopbackSettings.Load();
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(Bound);
        var loopback = new LoopbackDayTwoCluster(cluster);
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        await leader.ExecuteAsync("CREATE ROLE app_user LOGIN PASSWORD 'old-app-password'");
        AppDeployment[] apps = [new AppDeployment("apps", "api")];

        // The app password alone: ALTER ROLE, then at once the Deployments.
        var first = "app-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        loopback.Secrets[CredentialRole.App] = new RoleSecret(CredentialRole.App, "app_user", first);
        var alone = new AppPasswordWindow(loopback, cluster, "app_user", "old-app-password", first);
        await DayTwoRun.ApplyAsync(alone, Desired(settings, apps: apps), output.WriteLine, CancellationToken.None, Timeouts);
        ReportWindow("the app password alone", alone);
        AssertPasswordSwitchesAtTheAlterRole(alone);
        Assert.Empty(alone.StepsInBetween);

        // The app password with a pod template change in the same run: the members restart between the two.
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        var second = "app-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        loopback.Secrets[CredentialRole.App] = new RoleSecret(CredentialRole.App, "app_user", second);
        loopback.ApplyTemplate("pg-rev-2");
        var withRollout = new AppPasswordWindow(loopback, cluster, "app_user", first, second);
        await DayTwoRun.ApplyAsync(withRollout, Desired(settings, apps: apps), output.WriteLine, CancellationToken.None, Timeouts);
        ReportWindow("the app password with a pod template change", withRollout);
        AssertPasswordSwitchesAtTheAlterRole(withRollout);
        Assert.Equal(3, withRollout.StepsInBetween.Count(e => e.StartsWith("recreate", StringComparison.Ordinal)));
        Assert.Single(withRollout.StepsInBetween, e => e.StartsWith("switchover", StringComparison.Ordinal));
    }

    private void ReportWindow(string what, AppPasswordWindow window) =>
        output.WriteLine($"app password window, {what}: {window.Window!.Value.TotalSeconds:0.000} s from the ALTER ROLE to the Deployment restart " +
            $"(steps in between: {(window.StepsInBetween.Count == 0 ? "none" : string.Join("; ", window.StepsInBetween))}); " +
            $"before the ALTER ROLE {window.BeforeAlterRole}; after it {window.AfterAlterRole}; after the restart {window.AfterDeploymentRestarts[0]}");

    private static void AssertPasswordSwitchesAtTheAlterRole(AppPasswordWindow window)
    {
        // Before: the Secret already has the new password, the role still the old one.
        Assert.Equal(("accepted", "refused"), (window.BeforeAlterRole!.OldPassword, window.BeforeAlterRole.NewPassword));
        // Right after the ALTER ROLE: app pods still running with the old password are refused from now on.
        Assert.Equal(("refused", "accepted"), (window.AfterAlterRole!.OldPassword, window.AfterAlterRole.NewPassword));
        var restart = Assert.Single(window.AfterDeploymentRestarts);
        Assert.Equal(("refused", "accepted"), (restart.OldPassword, restart.NewPassword));
        Assert.True(restart.At > window.AfterAlterRole.At, "the app's Deployment was restarted before its role had the new password");
    }

    [Fact]
    public async Task A_member_that_does_not_come_back_stops_the_rollout_before_the_switchover_and_the_next_run_resumes()
    {
        var settings = LoopbackSettings.Load();
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(Bound);
        var loopback = new LoopbackDayTwoCluster(cluster);
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        var replicas = cluster.Members.Where(m => m != leader).OrderByDescending(m => m.Name, StringComparer.Ordinal).ToArray();
        var stuck = replicas[1];
        loopback.NeverReturns.Add(stuck.Name);
        loopback.ApplyTemplate("pg-rev-2");

        var e = await Assert.ThrowsAsync<DayTwoStepFailedException>(() => DayTwoRun.ApplyAsync(loopback, Desired(settings), output.WriteLine,
            CancellationToken.None, Timeouts with { MemberBack = TimeSpan.FromSeconds(30) }));
        output.WriteLine(e.Message);

        Assert.Equal(new AwaitMember(stuck.Name, settings.Patroni.ReadinessMaxLagBytes), e.FailedStep);
        Assert.Contains($"gave up after 30s waiting for {stuck.Name} to be back", e.Message, StringComparison.Ordinal);
        Assert.Contains($"not started: switchover {leader.Name} -> ", e.Message, StringComparison.Ordinal);
        Assert.Equal([$"recreate {replicas[0].Name}", $"recreate {stuck.Name}"], loopback.Events);
        Assert.Equal(leader.Name, (await cluster.WaitForLeaderAsync("the leader", Bound)).Name);
        Assert.Equal(LoopbackDayTwoCluster.FirstRevision, loopback.Revision(leader.Name));

        // The pod is scheduled at last; once it is back (a run before is refused, naming it), the next run skips the
        // members already on the new revision.
        loopback.Schedule(stuck.Name);
        await cluster.WaitForHealthyAsync(Bound);
        await WaitUntilPatroniReportsHealthyAsync(loopback);
        await DayTwoRun.ApplyAsync(loopback, Desired(settings), output.WriteLine, CancellationToken.None, Timeouts);

        var resumed = loopback.Events.Skip(2).ToArray();
        Assert.Equal(2, resumed.Length);
        Assert.StartsWith($"switchover {leader.Name} -> ", resumed[0], StringComparison.Ordinal);
        Assert.Equal($"recreate {leader.Name}", resumed[1]);
        Assert.All(cluster.Members, m => Assert.Equal("pg-rev-2", loopback.Revision(m.Name)));
    }

    private static async Task<string> ReadFromAsync(string path, long offset)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task OpenReplicationAsync(PatroniMember member, string username, string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(member.ConnectionString()) { Username = username, Password = password };
        await using var connection = new PhysicalReplicationConnection(builder.ConnectionString);
        await connection.Open();
    }

    private static string AppConnection(PatroniMember member, string password) =>
        new NpgsqlConnectionStringBuilder(member.ConnectionString()) { Username = "app_user", Password = password }.ConnectionString;
}
