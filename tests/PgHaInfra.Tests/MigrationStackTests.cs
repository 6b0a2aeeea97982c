using System.Collections.Immutable;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

[Collection(PulumiCollection.Name)]
public class MigrationStackTests
{
    private static Dictionary<string, string> MigrationConfig(bool scaleDown = false)
    {
        var config = ValidConfig();
        config["pgha:migrationSourceHost"] = "postgres.team-db.svc.cluster.local";
        config["pgha:migrationSourceSecret"] = "old-postgres-creds";
        if (scaleDown)
        {
            config["pgha:migrationScaleDownDeployment"] = "postgres";
        }

        return config;
    }

    private static async Task<Pulumi.Kubernetes.Types.Outputs.Batch.V1.JobSpec?> MigrationJobAsync(StackRun run)
    {
        foreach (var job in run.Of<Job>())
        {
            if ((await ValueOf(job.Metadata)).Name == "orders-migration")
            {
                return await ValueOf(job.Spec);
            }
        }

        return null;
    }

    [Fact]
    public async Task No_migration_unless_configured()
    {
        var run = await RunAsync(ValidConfig());
        Assert.Null(await MigrationJobAsync(run));
        Assert.Single(run.OfType("pgha:index:ReplicationCheck"));
        Assert.False(run.Outputs.ContainsKey("migrationReport"));
        Assert.Empty(run.OfType("kubernetes:apps/v1:DeploymentPatch"));
    }

    [Fact]
    public async Task Migration_job_uses_the_secrets_by_reference_and_never_their_values()
    {
        var run = await RunAsync(MigrationConfig());
        var spec = (await MigrationJobAsync(run))!;
        var container = Assert.Single(spec.Template.Spec.Containers);
        var env = container.Env.ToDictionary(e => e.Name);
        Assert.Equal("old-postgres-creds", env["SOURCE_PASSWORD"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("orders-superuser", env["TARGET_PASSWORD"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("orders-app", env["TARGET_OWNER"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("orders.team-db.svc.cluster.local", env["TARGET_HOST"].Value);
        Assert.Equal("postgres.team-db.svc.cluster.local", env["SOURCE_HOST"].Value);
        Assert.Equal("false", env["FORCE"].Value);
        Assert.All(env.Values, e => Assert.DoesNotContain("Pa55word", e.Value ?? string.Empty, StringComparison.Ordinal));
        Assert.Contains("pg_restore", container.Command[2], StringComparison.Ordinal);
        Assert.Equal(0, spec.BackoffLimit);
    }

    [Fact]
    public async Task Migration_runs_after_the_verified_cluster_and_is_verified_with_its_report_exported()
    {
        var run = await RunAsync(MigrationConfig());
        var order = run.Registered.Select(r => (r.Type, r.Name)).ToList();
        var firstCheck = order.IndexOf(("pgha:index:ReplicationCheck", "orders-replication-check"));
        var appDatabase = order.IndexOf(("kubernetes:batch/v1:Job", "orders-app-database"));
        var migration = order.IndexOf(("kubernetes:batch/v1:Job", "orders-migration"));
        var secondCheck = order.IndexOf(("pgha:index:ReplicationCheck", "orders-migration-check"));
        Assert.True(firstCheck >= 0 && appDatabase >= 0 && migration >= 0 && secondCheck >= 0);
        Assert.True(migration > firstCheck && migration > appDatabase, "the migration must wait for the verified cluster and its app database");
        Assert.True(secondCheck > migration, "the migration's report is read after the migration Job");
        Assert.Equal("agentic_pm_db", run.Registered.Single(r => r.Name == "orders-migration-check").Inputs["reportDatabase"]);

        var report = await ValueOf((Output<ImmutableDictionary<string, object>?>)run.Outputs["migrationReport"]!);
        Assert.Equal(25, Convert.ToInt32(report!["tables"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Old_deployment_is_scaled_down_only_when_asked()
    {
        Assert.Empty((await RunAsync(MigrationConfig())).OfType("kubernetes:apps/v1:DeploymentPatch"));
        var run = await RunAsync(MigrationConfig(scaleDown: true));
        var patch = Assert.Single(run.OfType("kubernetes:apps/v1:DeploymentPatch"));
        Assert.Equal(0, Convert.ToInt32(((ImmutableDictionary<string, object>)patch.Inputs["spec"])["replicas"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("postgres", ((ImmutableDictionary<string, object>)patch.Inputs["metadata"])["name"]);
        var order = run.Registered.Select(r => r.Name).ToList();
        Assert.True(order.IndexOf("orders-migration-scale-down") > order.IndexOf("orders-migration"), "scale down only after the migration Job");
    }
}
