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
    public void The_shared_configuration_has_only_the_shared_sections()
    {
        // What Spilo writes itself (scope, name, store, REST API addresses, credentials) is left out, not written empty.
        var yaml = RoundTrip(TestConfig.LoadValid());
        Assert.Equal(["bootstrap", "postgresql", "restapi", "ctl"], yaml.Keys.Cast<string>().ToArray());
        Assert.Equal(["pg_hba", "parameters"], Map(yaml, "postgresql").Keys.Cast<string>().ToArray());
    }

    [Fact]
    public void No_rest_api_allowlist_because_it_would_defeat_failsafe_mode_in_a_store_outage()
    {
        // Patroni takes allowlist_include_members' addresses from the store: after ttl without it, the leader's
        // POST /failsafe to the members is refused and the primary demotes despite failsafe_mode.
        var shared = PatroniConfig.ToYaml(PatroniConfig.Build(TestConfig.LoadValid().Patroni));
        Assert.Contains("failsafe_mode: true", shared, StringComparison.Ordinal);
        Assert.DoesNotContain("allowlist", shared, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsafe_rest_calls_need_a_client_certificate_and_members_verify_each_others_chain_but_not_the_pod_ip_as_a_name()
    {
        var yaml = RoundTrip(TestConfig.LoadValid());
        // Only the rule: the addresses and the certificate files are Spilo's (SSL_RESTAPI_*), so nothing else is set here.
        var restapi = Map(yaml, "restapi");
        Assert.Equal(["verify_client"], restapi.Keys.Cast<string>());
        Assert.Equal("optional", restapi["verify_client"]);
        // insecure: true turns off the host name check only; with a client certificate (restapi.certfile) Patroni keeps
        // CERT_REQUIRED against restapi.cafile. A client certificate or CA of its own here would override Spilo's.
        var ctl = Map(yaml, "ctl");
        Assert.Equal(["insecure"], ctl.Keys.Cast<string>());
        Assert.Equal("true", ctl["insecure"]);
        Assert.Contains("insecure: true", PatroniConfig.ToYaml(PatroniConfig.Build(TestConfig.LoadValid().Patroni)), StringComparison.Ordinal);
        // Patroni reads both at start: they are part of what rolls the pods when it changes.
        var local = PatroniConfig.LocalYaml(PatroniConfig.Build(TestConfig.LoadValid().Patroni));
        Assert.Contains("verify_client: optional", local, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_sections_are_written_in_patronis_names()
    {
        var shared = PatroniConfig.Build(TestConfig.LoadValid().Patroni);
        var local = shared with
        {
            Postgresql = shared.Postgresql with
            {
                ConnectAddress = "127.0.0.1:5433",
                UseUnixSocketRepl = true,
                Authentication = new PatroniAuthentication(new PatroniCredentials("postgres", "1234"), new PatroniCredentials("replicator", "on")),
            },
            Name = "pg-0",
            Etcd3 = new PatroniEtcd3(["127.0.0.1:2379"]),
            RestApi = shared.RestApi! with
            {
                Listen = "127.0.0.1:8009", ConnectAddress = "127.0.0.1:8009", Certfile = "/tls/tls.crt", Keyfile = "/tls/tls.key", Cafile = "/tls/ca.crt",
            },
            Watchdog = new PatroniWatchdog("off"),
        };
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(PatroniConfig.ToYaml(local));
        Assert.Equal("pg-0", yaml["name"]);
        Assert.Equal("127.0.0.1:8009", Map(yaml, "restapi")["connect_address"]);
        Assert.Equal(["listen", "connect_address", "certfile", "keyfile", "cafile", "verify_client"], Map(yaml, "restapi").Keys.Cast<string>());
        Assert.Equal(["127.0.0.1:2379"], ((List<object>)Map(yaml, "etcd3")["hosts"]).Cast<string>());
        var postgresql = Map(yaml, "postgresql");
        Assert.Equal("127.0.0.1:5433", postgresql["connect_address"]);
        Assert.Equal("true", postgresql["use_unix_socket_repl"]);
        Assert.DoesNotContain("data_dir", postgresql.Keys);
        // Passwords and modes that YAML 1.1 would read as a number or a boolean stay strings.
        var text = PatroniConfig.ToYaml(local);
        Assert.Contains("password: \"1234\"", text, StringComparison.Ordinal);
        Assert.Contains("password: \"on\"", text, StringComparison.Ordinal);
        Assert.Contains("mode: \"off\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_given_twice_is_an_error_and_with_replaces_it_in_place()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresParameters.Of(("ssl", "on"), ("ssl", "off")));
        Assert.Contains("'ssl'", error.Message, StringComparison.Ordinal);

        var parameters = PostgresParameters.Of(("wal_level", "replica"), ("max_wal_senders", 10));
        var changed = parameters.With("wal_level", "logical").With("ssl", "on");
        Assert.Equal(["wal_level", "max_wal_senders", "ssl"], changed.Keys);
        Assert.Equal("logical", changed["wal_level"].Text);
        Assert.Equal(10, changed["max_wal_senders"].Number);
        Assert.Equal("replica", parameters["wal_level"].Text);
    }

    [Fact]
    public void Integer_parameters_are_written_as_numbers_and_string_ones_as_strings()
    {
        var yaml = PatroniConfig.ToYaml(PatroniConfig.Build(TestConfig.LoadValid().Patroni));
        Assert.Contains("max_wal_senders: 10", yaml, StringComparison.Ordinal);
        Assert.Contains("wal_keep_size: 512MB", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Readiness_path_distinguishes_lagging_replicas()
    {
        Assert.Equal("/read-only?lag=16777216", PatroniConfig.ReadinessPath(TestConfig.LoadValid().Patroni.ReadinessMaxLagBytes));
        Assert.Equal("/liveness", PatroniConfig.LivenessPath);
    }

    [Fact]
    public void The_local_sections_are_what_patroni_reads_at_start_and_leave_out_the_dynamic_configuration()
    {
        // A pod restart is planned when these change (their fingerprint is in the pod template); the bootstrap section's
        // dynamic configuration is applied live instead, so it must not be part of them.
        var local = PatroniConfig.LocalYaml(PatroniConfig.Build(TestConfig.LoadValid().Patroni));
        Assert.Contains("pg_hba:", local, StringComparison.Ordinal);
        Assert.DoesNotContain("bootstrap:", local, StringComparison.Ordinal);
        Assert.DoesNotContain("ttl:", local, StringComparison.Ordinal);
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
