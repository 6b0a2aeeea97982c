using PgHa.Core.DayTwo;

namespace PgHa.Core.Tests;

/// <summary>What the program hands the ClusterRollout resource, and the cluster a preview assumes.</summary>
public class DayTwoRolloutInputsTests
{
    [Fact]
    public void The_desired_patroni_configuration_survives_its_json_unchanged()
    {
        var desired = LivePatroniConfiguration.FromSettings(TestConfig.LoadValid(("pgha:synchronousMode", "strict")).Patroni);
        var read = LivePatroniConfiguration.FromJson(desired.ToJson());
        Assert.Equal(desired.Values.OrderBy(v => v.Key), read.Values.OrderBy(v => v.Key));
        Assert.Empty(DayTwoPlanner.ConfigurationChanges(read, desired));
    }

    [Fact]
    public void Credential_versions_change_with_the_password_and_never_contain_it()
    {
        var before = CredentialVersions.Json([(CredentialRole.App, "orders-app", "orders_app", "first-Pa55word")]);
        var after = CredentialVersions.Json([(CredentialRole.App, "orders-app", "orders_app", "second-Pa55word")]);
        Assert.NotEqual(before, after);
        Assert.DoesNotContain("Pa55word", before + after, StringComparison.Ordinal);
        Assert.Contains("\"app\"", before, StringComparison.Ordinal);
        // The Secret the executor reads a rotated password from.
        Assert.Contains("\"secretName\":\"orders-app\"", before, StringComparison.Ordinal);
    }

    [Fact]
    public void The_assumed_cluster_leads_from_the_recorded_primary_with_every_member_healthy()
    {
        var configuration = LivePatroniConfiguration.FromSettings(TestConfig.LoadValid(("pgha:synchronousMode", "on")).Patroni);
        var cluster = AssumedCluster.AsLastApplied("db", 3, "db-2", configuration, "20Gi", []);
        Assert.Equal("db-2", Assert.Single(cluster.Members, m => m.IsLeader).Pod);
        Assert.Equal("db-0", Assert.Single(cluster.Members, m => m.Role == PatroniRole.SyncStandby).Pod);
        Assert.All(cluster.Members, m => Assert.Null(MemberHealth.Problem(m, cluster.Members.Single(l => l.IsLeader), 0)));
        Assert.Equal(["pgdata-db-0", "pgdata-db-1", "pgdata-db-2"], cluster.Volumes.Select(v => v.Claim));
        Assert.Equal("db-0", AssumedCluster.AsLastApplied("db", 3, null, configuration, "20Gi", []).Members.Single(m => m.IsLeader).Pod);
    }
}
