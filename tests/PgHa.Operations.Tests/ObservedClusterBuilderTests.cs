using PgHa.Core.DayTwo;
using PgHa.Operations.DayTwo;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.Tests;

/// <summary>What the executor reads becomes the planner's observed cluster the same way on Kubernetes and on loopback.</summary>
public sealed class ObservedClusterBuilderTests
{
    private static readonly LivePatroniConfiguration Config = LivePatroniConfiguration.FromJson("""{"ttl": 20}""");

    [Fact]
    public void A_replica_streams_only_when_the_primary_or_Patroni_says_so_and_its_lag_comes_from_the_primary()
    {
        var view = new PatroniClusterView(
        [
            new PatroniMemberView("db-0", "leader", "running", 4, null),
            new PatroniMemberView("db-1", "sync_standby", "running", 4, 9_999, PendingRestart: true),
            new PatroniMemberView("db-2", "replica", "running", 4, 0),
            new PatroniMemberView("db-3", "replica", "streaming", 4, 42),
            new PatroniMemberView("db-4", "replica", "starting", null, null),
            new PatroniMemberView("other-0", "replica", "running", 4, 0),
        ]);
        var replication = new Dictionary<string, ReplicationRow> { ["db-1"] = new("streaming", 128), ["db-2"] = new("catchup", 5_000) };

        var observed = ObservedClusterBuilder.Build("db", view, Config, replication, new Dictionary<string, string> { ["db-0"] = "r1", ["db-1"] = "r2" },
            "r2", 5, [], [], new Dictionary<string, string?>());

        Assert.Equal(["db-0", "db-1", "db-2", "db-3", "db-4"], observed.Members.Select(m => m.Pod));
        Assert.Equal(
            [
                (PatroniRole.Leader, MemberState.Running, 0L, "r1", false),
                (PatroniRole.SyncStandby, MemberState.Streaming, 128L, "r2", true),
                (PatroniRole.Replica, MemberState.Other, 5_000L, "(unknown)", false),
                (PatroniRole.Replica, MemberState.Streaming, 42L, "(unknown)", false),
            ],
            observed.Members.Take(4).Select(m => (m.Role, m.State, m.LagBytes!.Value, m.Revision, m.PendingRestart)));
        Assert.Equal(MemberState.Starting, observed.Members[4].State);
        Assert.Equal(("r2", 5), (observed.UpdateRevision, observed.Replicas));
    }

    [Fact]
    public void A_role_counts_as_rotated_when_the_database_does_not_store_its_Secrets_password()
    {
        var secrets = new[]
        {
            new RoleSecret(CredentialRole.Superuser, "postgres", "same"),
            new RoleSecret(CredentialRole.Replication, "standby", "new"),
            new RoleSecret(CredentialRole.App, "app", "whatever"),
        };
        var stored = new Dictionary<string, string?>
        {
            ["postgres"] = ScramVerifier.Create("same"),
            ["standby"] = ScramVerifier.Create("old"),
            // app: the role does not exist yet.
        };

        var observed = ObservedClusterBuilder.Build("db", new PatroniClusterView([]), Config, new Dictionary<string, ReplicationRow>(),
            new Dictionary<string, string>(), "r", 3, [], secrets, stored);

        Assert.Equal([new RotatedCredential(CredentialRole.Replication, "standby"), new RotatedCredential(CredentialRole.App, "app")], observed.RotatedCredentials);
        Assert.DoesNotContain("new", secrets[1].ToString(), StringComparison.Ordinal);
    }
}
