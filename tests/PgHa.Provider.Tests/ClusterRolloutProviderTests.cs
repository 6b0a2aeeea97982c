using System.Collections.Immutable;
using Moq;
using PgHa.Core.DayTwo;
using PgHa.Provider;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using In = PgHa.Core.DayTwo.ClusterRolloutContract.InputName;
using Out = PgHa.Core.DayTwo.ClusterRolloutContract.OutputName;

namespace PgHa.Provider.Tests;

/// <summary>
/// The ClusterRollout resource with the production runner (<see cref="ClusterRolloutRunner"/>, Core's planner) over Moq
/// seams for the cluster: strict mocks, so a call nobody set up (a cluster read or step during preview) fails the test.
/// </summary>
public class ClusterRolloutProviderTests
{
    private static readonly Urn RolloutUrn = new("urn:pulumi:dev::pgha::pgha:index:PostgresHaCluster$pgha:index:ClusterRollout::db-rollout");

    private const string Configuration = """{"ttl":20,"loop_wait":5,"retry_timeout":7,"synchronous_mode":false,"postgresql":{"parameters":{"max_slot_wal_keep_size":"4GB"}}}""";

    private static string Credentials(string appVersion = "app-v1") =>
        """{"superuser":{"username":"postgres","version":"su-v1"},"replication":{"username":"standby","version":"repl-v1"},"app":{"username":"orders_app","version":"APP"}}"""
            .Replace("APP", appVersion, StringComparison.Ordinal);

    private static ImmutableDictionary<string, PropertyValue> Inputs(params (string Key, PropertyValue Value)[] changes)
    {
        var inputs = new Dictionary<string, PropertyValue>
        {
            [In.Namespace] = new("team-db"),
            [In.StatefulSetName] = new("db"),
            [In.PodTemplateHash] = new("template-1"),
            [In.PatroniConfiguration] = new(Configuration),
            [In.StorageSize] = new("20Gi"),
            [In.Replicas] = new(3),
            [In.ReadinessMaxLagBytes] = new(16777216),
            [In.MemberTimeoutSeconds] = new(600),
            [In.AppDeployments] = new(ImmutableArray.Create(new PropertyValue("team-app/backend"))),
            [In.CredentialVersions] = new PropertyValue(Credentials()) { IsSecret = true },
            [In.KubeContext] = new("dev-cluster"),
        };
        foreach (var (key, value) in changes)
        {
            inputs[key] = value;
        }

        return inputs.ToImmutableDictionary();
    }

    private static ImmutableDictionary<string, PropertyValue> LastOutputs(string primary) => ImmutableDictionary<string, PropertyValue>.Empty
        .Add(Out.AppliedPodTemplateHash, new PropertyValue("template-1"))
        .Add(Out.Primary, new PropertyValue(primary))
        .Add(Out.LastPlan, new PropertyValue(ImmutableArray<PropertyValue>.Empty))
        .Add(Out.AppliedAt, new PropertyValue("2026-11-30T10:00:00Z"));

    /// <summary>A healthy cluster of db-0..db-2 with <paramref name="leader"/> leading; members in <paramref name="updated"/> run revision r2, the others r1.</summary>
    private static ObservedCluster Cluster(string leader, params string[] updated)
    {
        var members = Enumerable.Range(0, 3).Select(i => $"db-{i}").Select((pod, i) => new ObservedMember(pod, i,
            pod == leader ? PatroniRole.Leader : PatroniRole.Replica, pod == leader ? MemberState.Running : MemberState.Streaming, 4, 0,
            updated.Contains(pod) ? "r2" : "r1")).ToArray();
        var volumes = members.Select(m => new ObservedVolume($"pgdata-{m.Pod}", m.Ordinal, "20Gi", "20Gi")).ToArray();
        return new ObservedCluster(members, LivePatroniConfiguration.FromJson(Configuration), "r2", 3, volumes, []);
    }

    /// <summary>A rollout provider for tests of the plugin that do not reach it (strict seams: any call fails).</summary>
    internal static ClusterRolloutProvider UnusedProvider() => new Seams().Provider();

    private sealed class Seams
    {
        public Mock<IObservedClusterReader> Reader { get; } = new(MockBehavior.Strict);
        public Mock<IDayTwoStepExecutor> Executor { get; } = new(MockBehavior.Strict);
        public Mock<IEngine> Engine { get; } = new(MockBehavior.Strict);
        public List<string> Logged { get; } = [];
        public List<DayTwoStep> Executed { get; } = [];

        public Seams()
        {
            Engine.Setup(e => e.LogAsync(It.IsAny<LogRequest>())).Callback((LogRequest r) => Logged.Add(r.Message)).Returns(Task.CompletedTask);
        }

        public ClusterRolloutProvider Provider() => new(new ClusterRolloutRunner(Reader.Object, Executor.Object), Engine.Object);

        public void ClusterIs(ObservedCluster cluster) =>
            Reader.Setup(r => r.ReadAsync(It.IsAny<ClusterRolloutInputs>(), It.IsAny<CancellationToken>())).ReturnsAsync(cluster);

        /// <summary>Every step succeeds, except the one <paramref name="fails"/> picks, which throws <paramref name="message"/>.</summary>
        public void StepsRun(Func<DayTwoStep, bool>? fails = null, string message = "") =>
            Executor.Setup(e => e.ExecuteAsync(It.IsAny<ClusterRolloutInputs>(), It.IsAny<DayTwoStep>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()))
                .Returns((ClusterRolloutInputs _, DayTwoStep step, Action<string> _, CancellationToken _) =>
                {
                    Executed.Add(step);
                    return fails?.Invoke(step) == true ? Task.FromException(new TimeoutException(message)) : Task.CompletedTask;
                });
    }

    private static UpdateRequest Update(ImmutableDictionary<string, PropertyValue> olds, ImmutableDictionary<string, PropertyValue> news, bool preview,
        string primary = "db-1") =>
        new(RolloutUrn, "team-db/db", LastOutputs(primary), news, TimeSpan.FromMinutes(30), ImmutableArray<string>.Empty, preview, olds);

    [Fact]
    public async Task Preview_makes_no_cluster_call_and_shows_the_planned_steps()
    {
        var seams = new Seams();
        var provider = seams.Provider();
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")),
            (In.PatroniConfiguration, new PropertyValue(Configuration.Replace("\"ttl\":20", "\"ttl\":30", StringComparison.Ordinal))),
            (In.StorageSize, new PropertyValue("40Gi")));

        var diff = await provider.Diff(new DiffRequest(RolloutUrn, "team-db/db", LastOutputs("db-1"), news, ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);
        var update = await provider.Update(Update(Inputs(), news, preview: true), CancellationToken.None);

        Assert.True(diff.Changes);
        Assert.Empty(diff.Replaces!);
        seams.Reader.VerifyNoOtherCalls();
        seams.Executor.VerifyNoOtherCalls();
        Assert.True(update.Outputs![Out.LastPlan].TryGetArray(out var lines));
        var plan = lines.Select(l => l.TryGetString(out var s) ? s : "(not a string)").ToArray();
        // The primary the last rollout recorded (db-1) goes last, after one switchover to an already restarted replica.
        Assert.Equal(["volumes 20Gi -> 40Gi in place", "Patroni ttl 20 -> 30 live", "restart db-2, -0; switchover to -0; restart -1"], plan);
        Assert.Equal(2, seams.Logged.Count);
        Assert.All(seams.Logged, m => Assert.Contains("restart db-2, -0; switchover to -0; restart -1", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_smaller_storage_size_is_refused_at_check_naming_the_setting()
    {
        var seams = new Seams();
        var check = await seams.Provider().Check(
            new CheckRequest(RolloutUrn, Inputs((In.StorageSize, new PropertyValue("40Gi"))), Inputs(), ImmutableArray<byte>.Empty), CancellationToken.None);
        var failure = Assert.Single(check.Failures!);
        Assert.Equal(In.StorageSize, failure.Property);
        Assert.StartsWith("pgha:storageSize: 20Gi is smaller than the volumes have", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:storageSize 40Gi", failure.Reason, StringComparison.Ordinal);
        seams.Reader.VerifyNoOtherCalls();

        var grown = await seams.Provider().Check(
            new CheckRequest(RolloutUrn, Inputs(), Inputs((In.StorageSize, new PropertyValue("40Gi"))), ImmutableArray<byte>.Empty), CancellationToken.None);
        Assert.Empty(grown.Failures!);
    }

    [Fact]
    public async Task A_failed_step_fails_the_update_with_its_message_and_leaves_the_rest_untouched()
    {
        var seams = new Seams();
        seams.ClusterIs(Cluster(leader: "db-0"));
        seams.StepsRun(fails: s => s is AwaitMember { Pod: "db-1" }, message: "db-1 was not back within 600 s: Patroni reports it starting");
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => seams.Provider().Update(Update(Inputs(), news, preview: false), CancellationToken.None));

        Assert.Contains("step 4/7 (wait until db-1 is back", error.Message, StringComparison.Ordinal);
        Assert.Contains("db-1 was not back within 600 s: Patroni reports it starting", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 step(s) done, 3 left untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(["RecreatePod db-2", "AwaitMember db-2", "RecreatePod db-1", "AwaitMember db-1"], seams.Executed.Select(s => s switch
        {
            RecreatePod r => $"RecreatePod {r.Pod}",
            AwaitMember a => $"AwaitMember {a.Pod}",
            _ => s.GetType().Name,
        }));
        Assert.DoesNotContain(seams.Executed, s => s is Switchover);
    }

    [Fact]
    public async Task The_next_update_resumes_skipping_members_already_on_the_new_revision()
    {
        var seams = new Seams();
        // The stopped run restarted db-2 and db-1; db-0, the leader, still runs r1.
        seams.ClusterIs(Cluster(leader: "db-0", "db-2", "db-1"));
        seams.StepsRun();
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")));

        var update = await seams.Provider().Update(Update(Inputs(), news, preview: false, primary: "db-0"), CancellationToken.None);

        Assert.Equal(3, seams.Executed.Count);
        var switchover = Assert.IsType<Switchover>(seams.Executed[0]);
        Assert.Equal("db-0", switchover.From);
        Assert.Equal("db-1", switchover.To);
        Assert.Equal("db-0", Assert.IsType<RecreatePod>(seams.Executed[1]).Pod);
        Assert.Equal("db-0", Assert.IsType<AwaitMember>(seams.Executed[2]).Pod);
        Assert.True(update.Outputs![Out.Primary].TryGetString(out var primary));
        Assert.Equal("db-1", primary);
        Assert.True(update.Outputs[Out.AppliedPodTemplateHash].TryGetString(out var hash));
        Assert.Equal("template-2", hash);
    }

    [Fact]
    public async Task An_unhealthy_cluster_is_refused_before_any_step_with_what_is_wrong()
    {
        var seams = new Seams();
        var cluster = Cluster(leader: "db-0");
        seams.ClusterIs(cluster with { Members = [.. cluster.Members.Select(m => m.Pod == "db-2" ? m with { State = MemberState.Stopped } : m)] });
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => seams.Provider().Update(Update(Inputs(), news, preview: false), CancellationToken.None));

        Assert.Contains("the rollout did not start, nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Contains("db-2 is stopped, not streaming from the leader", error.Message, StringComparison.Ordinal);
        seams.Executor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_rotated_app_password_is_set_on_the_role_then_the_apps_restart_and_no_password_is_logged()
    {
        var seams = new Seams();
        seams.ClusterIs(Cluster(leader: "db-0", "db-0", "db-1", "db-2"));
        seams.StepsRun();
        var news = Inputs((In.CredentialVersions, new PropertyValue(Credentials(appVersion: "app-v2")) { IsSecret = true }));

        await seams.Provider().Update(Update(Inputs(), news, preview: false, primary: "db-0"), CancellationToken.None);

        Assert.Equal([new RotatePassword(CredentialRole.App, "orders_app"), (DayTwoStep)new RestartDeployment("team-app", "backend")], seams.Executed);
        Assert.DoesNotContain(seams.Logged, m => m.Contains("app-v", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_cluster_is_created_without_any_cluster_call()
    {
        var seams = new Seams();
        var response = await seams.Provider().Create(new CreateRequest(RolloutUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        Assert.Equal("team-db/db", response.Id);
        seams.Reader.VerifyNoOtherCalls();
        seams.Executor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task The_plugin_serves_every_resource_and_keeps_credential_versions_secret()
    {
        var seams = new Seams();
        var plugin = new PgHaProvider(ReplicationCheckProviderTests.Create().Provider, seams.Provider(), new ClusterCertificatesProvider(TimeProvider.System));
        var schema = System.Text.Json.Nodes.JsonNode.Parse((await plugin.GetSchema(new GetSchemaRequest(0, null!, null!), CancellationToken.None)).Schema!)!;
        Assert.NotNull(schema["resources"]![ClusterRolloutContract.ResourceType]);
        Assert.NotNull(schema["resources"]![PgHa.Core.Verification.ReplicationCheckContract.ResourceType]);
        Assert.True((bool)schema["resources"]![ClusterRolloutContract.ResourceType]!["inputProperties"]![In.CredentialVersions]!["secret"]!);

        // A create of the rollout goes to the rollout, which needs no cluster for a new one.
        var created = await plugin.Create(new CreateRequest(RolloutUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        Assert.Equal("team-db/db", created.Id);
        Assert.True(created.Outputs![Out.AppliedPodTemplateHash].TryGetString(out var hash));
        Assert.Equal("template-1", hash);
    }
}
