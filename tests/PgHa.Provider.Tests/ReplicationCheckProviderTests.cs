using System.Collections.Immutable;
using Moq;
using PgHa.Core.Settings;
using PgHa.Core.Verification;
using PgHa.Provider;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using CheckResult = PgHa.Core.Verification.CheckResult;
using In = PgHa.Core.Verification.ReplicationCheckContract.InputName;
using Out = PgHa.Core.Verification.ReplicationCheckContract.OutputName;

namespace PgHa.Provider.Tests;

public class ReplicationCheckProviderTests
{
    private const string Kubeconfig = "apiVersion: v1\nusers: [{name: u, user: {token: kube-Secret-token}}]";
    internal static readonly Urn CheckUrn = new("urn:pulumi:dev::pgha::pgha:index:PostgresHaCluster$pgha:index:ReplicationCheck::db-check");

    internal static ImmutableDictionary<string, PropertyValue> Inputs(params (string Key, PropertyValue? Value)[] changes)
    {
        var inputs = new Dictionary<string, PropertyValue>
        {
            [In.Namespace] = new("team-db"),
            [In.StatefulSetName] = new("db"),
            [In.HeadlessServiceName] = new("db-headless"),
            [In.ReadWriteServiceName] = new("db"),
            [In.ReadOnlyServiceName] = new("db-ro"),
            [In.Replicas] = new(3),
            [In.MaxLagBytes] = new(16777216),
            [In.TimeoutSeconds] = new(300),
            [In.ConnectionMode] = new("portForward"),
            [In.CredentialsSecretName] = new("db-monitoring"),
            [In.Kubeconfig] = new PropertyValue(Kubeconfig) { IsSecret = true },
            [In.Trigger] = new("uid-1/1"),
        };
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                inputs.Remove(key);
            }
            else
            {
                inputs[key] = value;
            }
        }

        return inputs.ToImmutableDictionary();
    }

    private static VerificationReport Healthy() => new(
        [new CheckResult("exactly one primary", true, "one", "db-0")], "db-0",
        [new ReplicaReport("db-1", "streaming", 0, "db_1", true), new ReplicaReport("db-2", "streaming", 128, "db_2", true)],
        4, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), 1);

    internal static (ReplicationCheckProvider Provider, Mock<IReplicationCheckRunner> Runner) Create(VerificationReport? report = null,
        PgHa.Core.Migration.MigrationReport? migration = null)
    {
        var runner = new Mock<IReplicationCheckRunner>(MockBehavior.Strict);
        runner.Setup(r => r.RunAsync(It.IsAny<ReplicationCheckInputs>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CheckOutcome(report ?? Healthy(), migration));
        return (new ReplicationCheckProvider(runner.Object), runner);
    }

    internal static CheckRequest CheckRequestFor(ImmutableDictionary<string, PropertyValue> inputs) =>
        new(CheckUrn, ImmutableDictionary<string, PropertyValue>.Empty, inputs, ImmutableArray<byte>.Empty);

    [Fact]
    public async Task Check_accepts_valid_inputs()
    {
        var (provider, _) = Create();
        var response = await provider.Check(CheckRequestFor(Inputs()), CancellationToken.None);
        Assert.Empty(response.Failures!);
    }

    [Fact]
    public async Task Check_names_every_bad_input()
    {
        var (provider, _) = Create();
        var response = await provider.Check(CheckRequestFor(Inputs(
            (In.Namespace, null), (In.Replicas, new PropertyValue(1)), (In.ConnectionMode, new PropertyValue("ssh")), (In.TimeoutSeconds, new PropertyValue(2.5)))),
            CancellationToken.None);
        Assert.Equal([In.ConnectionMode, In.Namespace, In.Replicas, In.TimeoutSeconds], response.Failures!.Select(f => f.Property).Order());
        Assert.Contains("portForward or direct", response.Failures!.Single(f => f.Property == In.ConnectionMode).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_defers_unknown_inputs_to_the_deployment()
    {
        var (provider, _) = Create();
        var response = await provider.Check(CheckRequestFor(Inputs((In.Trigger, PropertyValue.Computed), (In.CredentialsSecretName, PropertyValue.Computed))), CancellationToken.None);
        Assert.Empty(response.Failures!);
    }

    [Fact]
    public async Task Diff_reverifies_when_the_trigger_or_expectations_change_and_only_then()
    {
        var (provider, _) = Create();
        var same = await provider.Diff(new DiffRequest(CheckUrn, "team-db/db", Inputs(), Inputs(), ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);
        Assert.False(same.Changes);
        var rolled = await provider.Diff(new DiffRequest(CheckUrn, "team-db/db", Inputs(), Inputs((In.Trigger, new PropertyValue("uid-1/2"))), ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);
        Assert.True(rolled.Changes);
        Assert.Equal([In.Trigger], rolled.Diffs);
        var lag = await provider.Diff(new DiffRequest(CheckUrn, "team-db/db", Inputs(), Inputs((In.MaxLagBytes, new PropertyValue(1024))), ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);
        Assert.Equal([In.MaxLagBytes], lag.Diffs);
        Assert.Empty(lag.Replaces!);
    }

    [Fact]
    public async Task Preview_makes_no_database_call()
    {
        var (provider, runner) = Create();
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: true), CancellationToken.None);
        runner.Verify(r => r.RunAsync(It.IsAny<ReplicationCheckInputs>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.All(response.Outputs!.Values, v => Assert.True(v.IsComputed));
        var update = await provider.Update(new UpdateRequest(CheckUrn, "team-db/db", Inputs(), Inputs(), TimeSpan.FromMinutes(5), ImmutableArray<string>.Empty, preview: true, Inputs()), CancellationToken.None);
        Assert.All(update.Outputs!.Values, v => Assert.True(v.IsComputed));
        runner.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Create_verifies_and_reports_primary_replicas_slots_and_timeline()
    {
        var (provider, runner) = Create();
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        runner.Verify(r => r.RunAsync(It.Is<ReplicationCheckInputs>(i => i.Replicas == 3 && i.CredentialsSecretName == "db-monitoring" && i.ConnectionMode == CheckConnectionMode.PortForward),
            It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("team-db/db", response.Id);
        var outputs = response.Outputs!;
        Assert.True(outputs[Out.Primary].TryGetString(out var primary) && primary == "db-0");
        Assert.True(outputs[Out.Timeline].TryGetNumber(out var timeline) && timeline == 4);
        Assert.True(outputs[Out.SlotNames].TryGetArray(out var slots));
        Assert.Equal(["db_1", "db_2"], slots.Select(s => s.TryGetString(out var n) ? n : null));
        Assert.True(outputs[Out.Replicas].TryGetArray(out var replicas));
        Assert.True(replicas[1].TryGetMap(out var second) && second[Out.ReplicaReplayLagBytes].TryGetNumber(out var lag) && lag == 128);
        Assert.True(outputs[Out.CheckedAt].TryGetString(out var checkedAt) && checkedAt.StartsWith("2026-11-25T12:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_clusters_CA_reaches_the_verifier_and_without_it_none_does()
    {
        var (provider, runner) = Create();
        const string Ca = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
        await provider.Create(new CreateRequest(CheckUrn, Inputs((In.CaCertificate, new PropertyValue(Ca))), TimeSpan.FromMinutes(5), preview: false),
            CancellationToken.None);
        runner.Verify(r => r.RunAsync(It.Is<ReplicationCheckInputs>(i => i.CaCertificate == Ca), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Once);
        await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        runner.Verify(r => r.RunAsync(It.Is<ReplicationCheckInputs>(i => i.CaCertificate == null), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Secret_inputs_never_reach_the_outputs()
    {
        var (provider, _) = Create();
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        var rendered = string.Join("|", response.Outputs!.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.DoesNotContain("kube-Secret-token", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(In.Kubeconfig, response.Outputs!.Keys);
    }

    [Fact]
    public async Task A_failed_verification_fails_the_deployment_with_every_problem()
    {
        var failed = Healthy() with
        {
            Checks =
            [
                new CheckResult("db-2 streams from db-0", false, "in recovery, state streaming", "unreachable, state no replication connection"),
                new CheckResult("slot db_2 on db-0", false, "present, active, wal_status reserved or extended", "active=false, wal_status=lost"),
            ],
        };
        var (provider, _) = Create(failed);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None));
        Assert.Contains("team-db/db", e.Message, StringComparison.Ordinal);
        Assert.Contains("db-2 streams from db-0: expected in recovery, state streaming, observed unreachable", e.Message, StringComparison.Ordinal);
        Assert.Contains("wal_status=lost", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kube-Secret-token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_verifies_again_and_delete_does_nothing()
    {
        var (provider, runner) = Create();
        var read = await provider.Read(new ReadRequest(CheckUrn, "team-db/db", ImmutableDictionary<string, PropertyValue>.Empty, Inputs()), CancellationToken.None);
        Assert.Equal("team-db/db", read.Id);
        Assert.True(read.Outputs![Out.Primary].TryGetString(out _));
        runner.Verify(r => r.RunAsync(It.IsAny<ReplicationCheckInputs>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Once);
        await provider.Delete(new DeleteRequest(CheckUrn, "team-db/db", Inputs(), TimeSpan.FromMinutes(1), Inputs()), CancellationToken.None);
        runner.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task With_a_report_database_the_migration_report_is_an_output()
    {
        var migration = new PgHa.Core.Migration.MigrationReport(new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero), "old:5432/app", 25, 123456, 42);
        var (provider, _) = Create(migration: migration);
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs((In.ReportDatabase, new PropertyValue("agentic_pm_db"))), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        Assert.True(response.Outputs![Out.Migration].TryGetMap(out var report));
        Assert.True(report[Out.MigrationTables].TryGetNumber(out var tables) && tables == 25);
        Assert.True(report[Out.MigrationRows].TryGetNumber(out var rows) && rows == 123456);
        Assert.True(report[Out.MigrationDurationSeconds].TryGetNumber(out var duration) && duration == 42);
    }

    [Fact]
    public async Task A_missing_migration_report_fails_the_deployment()
    {
        var (provider, _) = Create();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.Create(
            new CreateRequest(CheckUrn, Inputs((In.ReportDatabase, new PropertyValue("agentic_pm_db"))), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None));
        Assert.Contains("no migration report in database agentic_pm_db", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_report_database_the_migration_output_is_null()
    {
        var (provider, _) = Create();
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        Assert.True(response.Outputs![Out.Migration].IsNull);
    }

    [Fact]
    public async Task With_backups_the_check_expects_archiving_and_reports_it()
    {
        var archiver = new ArchiverRow(42, "000000040000000000000010", new DateTimeOffset(2026, 11, 25, 11, 59, 0, TimeSpan.Zero), 0, null, null);
        var (provider, runner) = Create(Healthy() with { Archiver = archiver });
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs((In.ExpectArchiving, new PropertyValue(true))), TimeSpan.FromMinutes(5),
            preview: false), CancellationToken.None);
        runner.Verify(r => r.RunAsync(It.Is<ReplicationCheckInputs>(i => i.ExpectArchiving), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.True(response.Outputs![Out.Archiving].TryGetString(out var archiving));
        Assert.StartsWith("archived 42 (last 000000040000000000000010", archiving, StringComparison.Ordinal);

        var bad = await provider.Check(CheckRequestFor(Inputs((In.ExpectArchiving, new PropertyValue("yes")))), CancellationToken.None);
        Assert.Equal(In.ExpectArchiving, Assert.Single(bad.Failures!).Property);
    }
}
