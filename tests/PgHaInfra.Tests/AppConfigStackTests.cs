using System.Collections.Immutable;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>The app ConfigMap patch and the Deployment restarts it drives.</summary>
[Collection(PulumiCollection.Name)]
public class AppConfigStackTests
{
    private static Dictionary<string, string> AppConfig(params (string Key, string? Value)[] more) =>
        ValidConfig([("pgha:appConfig", "ideaforge-ai-config"), ("pgha:appRestartDeployments", "backend"), .. more]);

    private static ImmutableDictionary<string, object> Map(object value) => (ImmutableDictionary<string, object>)value;

    private static string RestartChecksum(StackRun run)
    {
        var patch = Assert.Single(run.OfType("kubernetes:apps/v1:DeploymentPatch"), r => Map(r.Inputs["metadata"])["name"].Equals("backend"));
        var template = Map(Map(patch.Inputs["spec"])["template"]);
        return (string)Map(Map(template["metadata"])["annotations"])["pgha/app-config-checksum"];
    }

    [Fact]
    public async Task Without_app_config_nothing_of_the_app_is_touched()
    {
        var run = await RunAsync(ValidConfig());
        Assert.Empty(run.OfType("kubernetes:core/v1:ConfigMapPatch"));
        Assert.Empty(run.OfType("kubernetes:apps/v1:DeploymentPatch"));
    }

    [Fact]
    public async Task Only_the_named_keys_of_the_existing_config_map_are_managed()
    {
        var run = await RunAsync(AppConfig());
        var patch = Assert.Single(run.OfType("kubernetes:core/v1:ConfigMapPatch"));
        var metadata = Map(patch.Inputs["metadata"]);
        Assert.Equal(("ideaforge-ai-config", "team-db"), ((string)metadata["name"], (string)metadata["namespace"]));
        Assert.Equal("true", Map(metadata["annotations"])["pulumi.com/patchForce"]);
        var data = Map(patch.Inputs["data"]);
        Assert.Equal(["POSTGRES_CA_CERT", "POSTGRES_DB", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_READ_HOST", "POSTGRES_SSLMODE"], data.Keys.Order());
        Assert.Equal("verify-full", data["POSTGRES_SSLMODE"]);
        Assert.Equal(MockCaCertificate, data["POSTGRES_CA_CERT"]);
        Assert.Equal("orders.team-db.svc.cluster.local", data["POSTGRES_HOST"]);
        Assert.Equal("orders-ro.team-db.svc.cluster.local", data["POSTGRES_READ_HOST"]);
        // A patch, not a replacement: no ConfigMap of that name is created.
        Assert.DoesNotContain(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("ideaforge-ai-config"));
    }

    [Fact]
    public async Task The_restart_annotation_changes_exactly_when_a_managed_value_changes()
    {
        var baseline = RestartChecksum(await RunAsync(AppConfig()));
        // Unrelated changes (pod size, Patroni timings) restart nothing.
        Assert.Equal(baseline, RestartChecksum(await RunAsync(AppConfig(("pgha:cpuLimit", "4"), ("pgha:patroniTtl", "30"), ("pgha:patroniRetryTimeout", "10")))));
        // A managed value (the database) or a managed key name changes it.
        Assert.NotEqual(baseline, RestartChecksum(await RunAsync(AppConfig(("pgha:database", "orders_db")))));
        Assert.NotEqual(baseline, RestartChecksum(await RunAsync(AppConfig(("pgha:appConfigKeys", "host=DB_HOST")))));
    }

    [Fact]
    public async Task Apps_are_pointed_at_the_cluster_only_after_it_is_verified()
    {
        var run = await RunAsync(AppConfig());
        var order = run.Registered.Select(r => r.Type).ToList();
        var (check, configMap, restart) = (order.IndexOf("pgha:index:ReplicationCheck"), order.IndexOf("kubernetes:core/v1:ConfigMapPatch"),
            order.IndexOf("kubernetes:apps/v1:DeploymentPatch"));
        Assert.True(check >= 0 && configMap > check && restart > configMap, $"registered: check {check}, ConfigMap patch {configMap}, restart {restart}");
    }
}
