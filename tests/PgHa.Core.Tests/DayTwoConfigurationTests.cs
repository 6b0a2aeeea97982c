using System.Text.Json.Nodes;
using PgHa.Core.DayTwo;
using PgHa.Core.Patroni;
using YamlDotNet.Serialization;
using static PgHa.Core.Tests.DayTwoCluster;

namespace PgHa.Core.Tests;

/// <summary>Patroni's dynamic configuration as the planner compares and patches it.</summary>
public class DayTwoConfigurationTests
{
    [Theory]
    [InlineData("off")]
    [InlineData("strict")]
    public void The_desired_configuration_is_what_a_new_cluster_bootstraps_with(string synchronousMode)
    {
        var settings = TestConfig.LoadValid(("pgha:synchronousMode", synchronousMode), ("pgha:patroniTtl", "30"));
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(
            PatroniConfig.ToYaml(PatroniConfig.Build(settings.Patroni, settings.Backup)));
        var dcs = (Dictionary<object, object>)((Dictionary<object, object>)yaml["bootstrap"])["dcs"];
        var bootstrap = new Dictionary<string, string>();
        void Walk(Dictionary<object, object> node, string prefix)
        {
            foreach (var (key, value) in node)
            {
                if (value is Dictionary<object, object> child)
                {
                    Walk(child, $"{prefix}/{key}");
                }
                else
                {
                    bootstrap[$"{prefix}/{key}"] = (string)value;
                }
            }
        }

        Walk(dcs, string.Empty);

        var desired = LivePatroniConfiguration.FromSettings(settings.Patroni);

        Assert.Equal(bootstrap.OrderBy(kv => kv.Key), desired.Values.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Text)).OrderBy(kv => kv.Key));
    }

    [Fact]
    public void A_cluster_bootstrapped_with_the_defaults_needs_no_patch()
    {
        Assert.Empty(DayTwoPlanner.ConfigurationChanges(LivePatroniConfiguration.FromJson(DefaultConfigJson), Desired().Configuration));
    }

    [Fact]
    public void Get_config_is_read_as_flat_keys_nulls_absent_arrays_kept_raw()
    {
        var config = LivePatroniConfiguration.FromJson("""
            {"ttl": 30, "synchronous_mode": true, "standby_cluster": null, "postgresql": {"parameters": {"a/b~c": "1", "pg_stat_statements.max": 5000}},
             "ignore_slots": [{"name": "x"}]}
            """);

        Assert.Equal(
            new Dictionary<string, ConfigValue>
            {
                ["/ttl"] = new("30", ConfigValueKind.Number),
                ["/synchronous_mode"] = new("true", ConfigValueKind.Boolean),
                ["/postgresql/parameters/a~1b~0c"] = new("1", ConfigValueKind.String),
                ["/postgresql/parameters/pg_stat_statements.max"] = new("5000", ConfigValueKind.Number),
                ["/ignore_slots"] = new("""[{"name": "x"}]""", ConfigValueKind.Array),
            },
            config.Values);
        Assert.True(config.SynchronousMode);
        Assert.Equal("a/b~c", LivePatroniConfiguration.DisplayName("/postgresql/parameters/a~1b~0c"));
        Assert.Equal("pg_stat_statements.max", LivePatroniConfiguration.DisplayName("/postgresql/parameters/pg_stat_statements.max"));
        Assert.Equal("postgresql.use_slots", LivePatroniConfiguration.DisplayName("/postgresql/use_slots"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void A_body_that_is_not_a_json_object_is_a_format_error(string body)
    {
        var error = Assert.Throws<FormatException>(() => LivePatroniConfiguration.FromJson(body));
        Assert.StartsWith("Patroni's GET /config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_value_as_a_number_or_a_string_is_no_change()
    {
        var observed = LivePatroniConfiguration.FromJson("""{"ttl": "20", "postgresql": {"parameters": {"max_wal_senders": "10"}}}""");
        var desired = LivePatroniConfiguration.FromJson("""{"ttl": 20, "postgresql": {"parameters": {"max_wal_senders": 10}}}""");

        Assert.Empty(DayTwoPlanner.ConfigurationChanges(observed, desired));
    }

    [Fact]
    public void The_patch_body_holds_only_the_differing_keys_nested_and_typed()
    {
        var observed = Config(("postgresql/parameters/max_wal_senders", "5"));
        var desired = Desired(("pgha:patroniTtl", "30"), ("pgha:synchronousMode", "on"), ("pgha:maxSlotWalKeepSize", "2GB"));

        var patch = Assert.IsType<PatchPatroniConfiguration>(DayTwoPlanner.Plan(Healthy(3, leader: 0, config: observed), desired).Steps[0]);

        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse("""
                    {"ttl": 30, "synchronous_mode": true,
                     "postgresql": {"parameters": {"max_wal_senders": 10, "max_slot_wal_keep_size": "2GB"}}}
                    """),
                JsonNode.Parse(patch.ToJson())),
            patch.ToJson());
    }

    [Fact]
    public void A_parameter_named_with_a_dot_or_slash_is_patched_under_its_own_name()
    {
        var change = new ConfigurationChange(
            "/postgresql/parameters/pg_stat_statements.max", null, new ConfigValue("5000", ConfigValueKind.Number), false);

        Assert.Equal("""{"postgresql":{"parameters":{"pg_stat_statements.max":5000}}}""", new PatchPatroniConfiguration([change]).ToJson());
    }

    [Theory]
    [InlineData("max_wal_senders", true)]
    [InlineData("shared_buffers", true)]
    [InlineData("SHARED_BUFFERS", true)]
    [InlineData("max_slot_wal_keep_size", false)]
    [InlineData("work_mem", false)]
    [InlineData("hot_standby_feedback", false)]
    public void Parameters_needing_a_restart_are_known(string parameter, bool needsRestart)
    {
        Assert.Equal(needsRestart, RestartRequiringParameters.Contains(parameter));
    }
}
