using System.Collections.Immutable;
using Moq;
using PgHa.Core.DayTwo;
using PgHa.Operations.DayTwo;
using PgHa.Provider;
using PgHa.Testing;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using In = PgHa.Core.DayTwo.ClusterRolloutContract.InputName;
using Out = PgHa.Core.DayTwo.ClusterRolloutContract.OutputName;

namespace PgHa.Provider.Tests;

/// <summary>
/// The ClusterRollout resource with the production runner (<see cref="ClusterRolloutRunner"/>: the day-2 executor and
/// Core's planner) on a stand-in cluster opened through a strict mock, so a preview that opened the cluster fails the test.
/// </summary>
// The stand-in cluster comes from the Linux-only test harness library (the machines that run these tests).
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ClusterRolloutProviderTests
{
    private static readonly Urn RolloutUrn = new("urn:pulumi:dev::pgha::pgha:index:PostgresHaCluster$pgha:index:ClusterRollout::db-rollout");

    private const string Configuration = """{"ttl":20,"loop_wait":5,"retry_timeout":7,"synchronous_mode":false,"postgresql":{"parameters":{"max_slot_wal_keep_size":"4GB"}}}""";

    private static string Credentials(string appVersion = "app-v1") =>
        """{"superuser":{"secretName":"db-superuser","username":"postgres","version":"su-v1"},"replication":{"secretName":"db-replication","username":"standby","version":"repl-v1"},"app":{"secretName":"db-app","username":"orders_app","version":"APP"}}"""
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

    /// <summary>A rollout provider for tests of the plugin that do not reach it (strict seams: any call fails).</summary>
    internal static ClusterRolloutProvider UnusedProvider() => new Seams().Provider();

    /// <summary>
    /// The seams: the engine's log, and the cluster the rollout opens, a stand-in that answers the executor the way a cluster
    /// would (db-0..db-2, db-0 leading, every member on the old revision and the StatefulSet on a new one) and records
    /// every action. The opener is a strict mock: a preview that opened the cluster fails the test.
    /// </summary>
    private sealed class Seams
    {
        // Short bounds: a member that never comes back gives up within seconds, not the inputs' ten minutes.
        private static readonly DayTwoTimeouts Fast = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3),
            TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));

        public SimulatedDayTwoCluster Cluster { get; } = new(members: 3, leader: 0, config: Configuration);
        public Mock<IDayTwoClusterOpener> Opener { get; } = new(MockBehavior.Strict);
        public Mock<IEngine> Engine { get; } = new(MockBehavior.Strict);
        public List<string> Logged { get; } = [];
        public int Closed { get; private set; }

        public Seams()
        {
            Engine.Setup(e => e.LogAsync(It.IsAny<LogRequest>())).Callback((LogRequest r) => Logged.Add(r.Message)).Returns(Task.CompletedTask);
        }

        public ClusterRolloutProvider Provider() => new(new ClusterRolloutRunner(Opener.Object, Fast), Engine.Object);

        public void ClusterOpens() =>
            Opener.Setup(o => o.OpenAsync(It.IsAny<ClusterRolloutInputs>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(() => ((IDayTwoCluster)Cluster, (IAsyncDisposable)new Lifetime(() => Closed++)));

        public void Updated(params string[] pods)
        {
            foreach (var pod in pods)
            {
                Cluster.Set(pod, m => m with { Revision = Cluster.UpdateRevision });
            }
        }

        private sealed class Lifetime(Action closed) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                closed();
                return ValueTask.CompletedTask;
            }
        }
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
        seams.Opener.VerifyNoOtherCalls();
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
        seams.Opener.VerifyNoOtherCalls();

        var grown = await seams.Provider().Check(
            new CheckRequest(RolloutUrn, Inputs(), Inputs((In.StorageSize, new PropertyValue("40Gi"))), ImmutableArray<byte>.Empty), CancellationToken.None);
        Assert.Empty(grown.Failures!);
    }

    [Fact]
    public async Task A_failed_step_fails_the_update_with_its_message_and_leaves_the_rest_untouched()
    {
        var seams = new Seams();
        seams.ClusterOpens();
        seams.Cluster.NeverReturns.Add("db-1");
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => seams.Provider().Update(Update(Inputs(), news, preview: false), CancellationToken.None));

        Assert.Contains("failed: wait until db-1 is back", error.Message, StringComparison.Ordinal);
        Assert.Contains("not started: switchover db-0 -> db-", error.Message, StringComparison.Ordinal);
        Assert.Contains("run pulumi up again", error.Message, StringComparison.Ordinal);
        Assert.Equal(["recreate db-2", "recreate db-1"], seams.Cluster.Actions);
        Assert.Equal(1, seams.Closed);
    }

    [Fact]
    public async Task The_next_update_resumes_skipping_members_already_on_the_new_revision()
    {
        var seams = new Seams();
        seams.ClusterOpens();
        // The stopped run restarted db-2 and db-1; db-0, the leader, still runs the old revision.
        seams.Updated("db-2", "db-1");
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")));

        var update = await seams.Provider().Update(Update(Inputs(), news, preview: false, primary: "db-0"), CancellationToken.None);

        Assert.Equal(2, seams.Cluster.Actions.Count);
        Assert.StartsWith("switchover db-0 -> db-", seams.Cluster.Actions[0], StringComparison.Ordinal);
        Assert.Equal("recreate db-0", seams.Cluster.Actions[1]);
        var newLeader = seams.Cluster.Actions[0]["switchover db-0 -> ".Length..];
        Assert.True(update.Outputs![Out.Primary].TryGetString(out var primary));
        Assert.Equal(newLeader, primary);
        Assert.True(update.Outputs[Out.AppliedPodTemplateHash].TryGetString(out var hash));
        Assert.Equal("template-2", hash);
    }

    [Fact]
    public async Task An_unhealthy_cluster_is_refused_before_any_step_with_what_is_wrong()
    {
        var seams = new Seams();
        seams.ClusterOpens();
        seams.Cluster.Set("db-2", m => m with { State = MemberState.Stopped });
        var news = Inputs((In.PodTemplateHash, new PropertyValue("template-2")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => seams.Provider().Update(Update(Inputs(), news, preview: false), CancellationToken.None));

        Assert.Contains("nothing was done", error.Message, StringComparison.Ordinal);
        Assert.Contains("db-2 is stopped", error.Message, StringComparison.Ordinal);
        Assert.Empty(seams.Cluster.Actions);
    }

    [Fact]
    public async Task A_rotated_app_password_is_set_on_the_role_then_the_apps_restart_and_no_password_is_logged()
    {
        var seams = new Seams();
        seams.ClusterOpens();
        seams.Updated("db-0", "db-1", "db-2");
        // The app Secret holds a password the database does not have yet.
        seams.Cluster.Secrets[CredentialRole.App] = "rotated-Pa55word";
        seams.Cluster.Rotated.Add(new RotatedCredential(CredentialRole.App, "orders_app"));
        var news = Inputs((In.CredentialVersions, new PropertyValue(Credentials(appVersion: "app-v2")) { IsSecret = true }));
        var progress = new List<string>();

        await seams.Provider().Update(Update(Inputs(), news, preview: false, primary: "db-0"), CancellationToken.None);

        Assert.Equal(["set verifier orders_app", "restart deployment team-app/backend"], seams.Cluster.Actions);
        Assert.True(ScramVerifier.Matches(seams.Cluster.Verifiers["orders_app"], "rotated-Pa55word", "orders_app"));
        Assert.DoesNotContain(seams.Logged, m => m.Contains("Pa55word", StringComparison.Ordinal) || m.Contains("app-v", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_cluster_is_created_without_any_cluster_call()
    {
        var seams = new Seams();
        var response = await seams.Provider().Create(new CreateRequest(RolloutUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        Assert.Equal("team-db/db", response.Id);
        seams.Opener.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task The_plugin_serves_every_resource_and_keeps_credential_versions_secret()
    {
        var seams = new Seams();
        var plugin = new PgHaProvider(ReplicationCheckProviderTests.Create().Provider, seams.Provider(), new ClusterCertificatesProvider(TimeProvider.System), new GeneratedPasswordProvider());
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
