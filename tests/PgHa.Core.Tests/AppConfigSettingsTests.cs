using PgHa.Core.AppConfig;
using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

public class AppConfigSettingsTests
{
    [Fact]
    public void Off_unless_a_config_map_is_named()
    {
        Assert.Null(TestConfig.LoadValid().AppConfig);
    }

    [Fact]
    public void Defaults_are_the_old_runbooks_keys_in_the_clusters_namespace()
    {
        var app = TestConfig.LoadValid(("pgha:appConfig", "ideaforge-ai-config"), ("pgha:appRestartDeployments", "backend, worker,backend")).AppConfig!;
        Assert.Equal(("ideaforge-ai-config", "team-db"), (app.ConfigMap, app.Namespace));
        Assert.Equal(AppConfigKeyNames.Default, app.Keys);
        Assert.Equal(["backend", "worker"], app.RestartDeployments);
    }

    [Fact]
    public void Key_names_can_be_overridden_field_by_field()
    {
        var keys = TestConfig.LoadValid(("pgha:appConfig", "cfg"), ("pgha:appConfigKeys", "host=DB_HOST, database=DB_NAME")).AppConfig!.Keys;
        Assert.Equal(new AppConfigKeyNames("DB_HOST", "POSTGRES_READ_HOST", "POSTGRES_PORT", "DB_NAME"), keys);
    }

    [Theory]
    [InlineData("hostname=DB_HOST", "field=KEY")]
    [InlineData("host=DB HOST", "not a ConfigMap key")]
    [InlineData("host=A,host=B", "named twice")]
    [InlineData("host=POSTGRES_DB", "same key")]
    public void Bad_key_names_are_refused_with_the_default_as_fix(string keys, string problem)
    {
        var error = TestConfig.SingleError("pgha:appConfigKeys", ("pgha:appConfig", "cfg"), ("pgha:appConfigKeys", keys));
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains("host=POSTGRES_HOST,readHost=POSTGRES_READ_HOST", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Restarts_without_a_config_map_are_named()
    {
        var error = TestConfig.SingleError("pgha:appRestartDeployments", ("pgha:appRestartDeployments", "backend"));
        Assert.Contains("pgha:appConfig", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_deployment_name_is_named()
    {
        var error = TestConfig.SingleError("pgha:appRestartDeployments", ("pgha:appConfig", "cfg"), ("pgha:appRestartDeployments", "Backend_1"));
        Assert.Equal("Backend_1", error.Value);
    }

    [Fact]
    public void Values_are_the_service_names_port_and_database_which_a_failover_does_not_change()
    {
        var settings = TestConfig.LoadValid(("pgha:clusterName", "orders"), ("pgha:appConfig", "cfg"), ("pgha:database", "orders_db"));
        var values = AppConnectionValues.Build(settings.Cluster, settings.Postgres.Database, settings.AppConfig!.Keys).ToDictionary();
        Assert.Equal("orders.team-db.svc.cluster.local", values["POSTGRES_HOST"]);
        Assert.Equal("orders-ro.team-db.svc.cluster.local", values["POSTGRES_READ_HOST"]);
        Assert.Equal("5432", values["POSTGRES_PORT"]);
        Assert.Equal("orders_db", values["POSTGRES_DB"]);
    }

    [Fact]
    public void The_checksum_changes_exactly_when_a_managed_key_or_value_does()
    {
        KeyValuePair<string, string>[] values = [new("A", "1"), new("B", "2")];
        var checksum = AppConnectionValues.Checksum(values);
        Assert.Equal(checksum, AppConnectionValues.Checksum([new("B", "2"), new("A", "1")]));
        Assert.NotEqual(checksum, AppConnectionValues.Checksum([new("A", "1"), new("B", "3")]));
        Assert.NotEqual(checksum, AppConnectionValues.Checksum([new("A", "1"), new("C", "2")]));
        Assert.Matches("^[0-9a-f]{16}$", checksum);
    }
}
