using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using YamlDotNet.Serialization;

namespace PgHa.Core.Tests;

public class PatroniConfigTests
{
    private static Dictionary<object, object> RoundTrip(PgHaSettings s)
    {
        var yaml = PatroniConfig.ToYaml(PatroniConfig.Build(s.Patroni, s.Backup));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(yaml);
    }

    private static Dictionary<object, object> Map(object node, string key) => (Dictionary<object, object>)((Dictionary<object, object>)node)[key];

    [Fact]
    public void Dcs_section_carries_timings_and_safety_defaults()
    {
        var yaml = RoundTrip(TestConfig.LoadValid());
        var dcs = Map(Map(yaml, "bootstrap"), "dcs");
        Assert.Equal("20", dcs["ttl"]);
        Assert.Equal("5", dcs["loop_wait"]);
        Assert.Equal("7", dcs["retry_timeout"]);
        Assert.Equal("1048576", dcs["maximum_lag_on_failover"]);
        Assert.Equal("false", dcs["synchronous_mode"]);
        Assert.Equal("true", dcs["failsafe_mode"]);
        var pg = Map(dcs, "postgresql");
        Assert.Equal("true", pg["use_pg_rewind"]);
        Assert.Equal("true", pg["use_slots"]);
        var parameters = Map(pg, "parameters");
        Assert.Equal("4GB", parameters["max_slot_wal_keep_size"]);
        Assert.Equal("512MB", parameters["wal_keep_size"]);
        Assert.Equal("on", parameters["wal_log_hints"]);
        Assert.Equal("off", parameters["hot_standby_feedback"]);
        Assert.Equal("scram-sha-256", parameters["password_encryption"]);
    }

    [Theory]
    [InlineData("off", "false", "false")]
    [InlineData("on", "true", "false")]
    [InlineData("strict", "true", "true")]
    public void Synchronous_mode_maps_to_patroni_flags(string mode, string sync, string strict)
    {
        var dcs = Map(Map(RoundTrip(TestConfig.LoadValid(("pgha:synchronousMode", mode))), "bootstrap"), "dcs");
        Assert.Equal(sync, dcs["synchronous_mode"]);
        Assert.Equal(strict, dcs["synchronous_mode_strict"]);
    }

    [Fact]
    public void Settings_flow_into_the_configuration()
    {
        var s = TestConfig.LoadValid(("pgha:patroniTtl", "30"), ("pgha:maxSlotWalKeepSize", "2GB"), ("pgha:maximumLagOnFailover", "8MB"));
        var dcs = Map(Map(RoundTrip(s), "bootstrap"), "dcs");
        Assert.Equal("30", dcs["ttl"]);
        Assert.Equal("8388608", dcs["maximum_lag_on_failover"]);
        Assert.Equal("2GB", Map(Map(dcs, "postgresql"), "parameters")["max_slot_wal_keep_size"]);
    }

    [Fact]
    public void Initdb_enables_checksums_and_a_stable_collation()
    {
        var initdb = (List<object>)Map(RoundTrip(TestConfig.LoadValid()), "bootstrap")["initdb"];
        Assert.Contains("data-checksums", initdb);
        Assert.Contains(initdb.OfType<Dictionary<object, object>>(), d => d.TryGetValue("locale", out var l) && (string)l == "C.UTF-8");
    }

    [Fact]
    public void Pg_hba_requires_tls_and_scram_from_the_network()
    {
        var hba = ((List<object>)Map(RoundTrip(TestConfig.LoadValid()), "postgresql")["pg_hba"]).Cast<string>().ToArray();
        var network = hba.Where(l => l.StartsWith("host", StringComparison.Ordinal)).ToArray();
        Assert.All(network.Where(l => !l.EndsWith("reject", StringComparison.Ordinal)), l =>
        {
            Assert.StartsWith("hostssl", l, StringComparison.Ordinal);
            Assert.EndsWith("scram-sha-256", l, StringComparison.Ordinal);
        });
        // No role named: whatever replication username the Secret holds is admitted (PostgreSQL still requires REPLICATION).
        Assert.Matches(@"^hostssl\s+replication\s+all\s+all\s+scram-sha-256$", hba.Single(l => l.Contains("replication", StringComparison.Ordinal) && l.StartsWith("host", StringComparison.Ordinal)));
        Assert.DoesNotContain(hba, l => l.Contains("replicator", StringComparison.Ordinal));
        Assert.Matches(@"^hostnossl\s+all\s+all\s+all\s+reject$", hba[^1]);
        Assert.DoesNotContain(hba, l => l.EndsWith("trust", StringComparison.Ordinal) || l.EndsWith("md5", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_backups_archiving_is_off_explicitly()
    {
        var parameters = Map(Map(RoundTrip(TestConfig.LoadValid()), "postgresql"), "parameters");
        Assert.Equal("off", parameters["archive_mode"]);
        Assert.DoesNotContain("archive_command", parameters.Keys);
    }

    [Fact]
    public void Strings_yaml_1_1_would_read_as_booleans_or_numbers_are_quoted()
    {
        var yaml = PatroniConfig.ToYaml(PatroniConfig.Build(TestConfig.LoadValid().Patroni));
        Assert.Contains("archive_mode: \"off\"", yaml, StringComparison.Ordinal);
        Assert.Contains("wal_log_hints: \"on\"", yaml, StringComparison.Ordinal);
        Assert.Contains("hot_standby_feedback: \"off\"", yaml, StringComparison.Ordinal);
        // Real booleans and numbers stay what they are.
        Assert.Contains("use_slots: true", yaml, StringComparison.Ordinal);
        Assert.Contains("ttl: 20", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Readiness_path_distinguishes_lagging_replicas()
    {
        Assert.Equal("/read-only?lag=16777216", PatroniConfig.ReadinessPath(TestConfig.LoadValid().Patroni.ReadinessMaxLagBytes));
        Assert.Equal("/liveness", PatroniConfig.LivenessPath);
    }
}

public class FailoverBudgetTests
{
    [Fact]
    public void Budgets_follow_the_configured_timings()
    {
        var shipped = TestConfig.LoadValid().Patroni;
        Assert.Equal(TimeSpan.FromSeconds(20 + 5 + 7), FailoverBudget.MaxCrashFailover(shipped));
        Assert.Equal(TimeSpan.FromSeconds(5 + 14), FailoverBudget.MaxSwitchover(shipped));
        var slow = TestConfig.LoadValid(("pgha:patroniTtl", "30"), ("pgha:patroniLoopWait", "10"), ("pgha:patroniRetryTimeout", "10")).Patroni;
        Assert.Equal(TimeSpan.FromSeconds(50), FailoverBudget.MaxCrashFailover(slow));
    }
}
