using PgHa.Core.Monitoring;
using PgHa.Core.Settings;
using PgHa.Testing;
using YamlDotNet.Serialization;

namespace PgHa.Integration.Tests;

/// <summary>The rendered alert rules through `promtool check rules` and `promtool test rules`: each alert fires on the series that should page and stays quiet otherwise.</summary>
public sealed class AlertRuleTests(ITestOutputHelper output) : IDisposable
{
    private const string Runbook = "https://example.invalid/pg-ha/docs/runbook.md";
    private readonly string _directory = Directory.CreateTempSubdirectory("pgha-rules-").FullName;
    private readonly PgHaSettings _settings = LoopbackSettings.Load(("pgha:namespace", "db"), ("pgha:clusterName", "pg-ha"));

    private static readonly string[] Pods = ["pg-ha-0", "pg-ha-1", "pg-ha-2"];

    /// <summary>One case: input series (series, values), when to evaluate, and the extra labels of the expected alert (null: must not fire).</summary>
    private sealed record Case(string Alert, (string Series, string Values)[] Input, string EvalTime, Dictionary<string, string>? Fires);

    private static (string, string) S(string series, string values) => (series, values);

    private static IEnumerable<Case> Cases()
    {
        const string c = "cluster=\"pg-ha\"";
        Dictionary<string, string> None() => [];
        yield return new("PgHaNoLeader", Pods.Select(p => S($"patroni_primary{{{c},pod=\"{p}\"}}", "0x10")).ToArray(), "5m", None());
        yield return new("PgHaNoLeader", [S($"patroni_primary{{{c},pod=\"pg-ha-0\"}}", "1x10"), S($"patroni_primary{{{c},pod=\"pg-ha-1\"}}", "0x10")], "5m", null);
        yield return new("PgHaMultipleLeaders", [S($"patroni_primary{{{c},pod=\"pg-ha-0\"}}", "1x10"), S($"patroni_primary{{{c},pod=\"pg-ha-1\"}}", "1x10")], "5m", None());
        yield return new("PgHaMultipleLeaders", [S($"patroni_primary{{{c},pod=\"pg-ha-0\"}}", "1x10"), S($"patroni_primary{{{c},pod=\"pg-ha-1\"}}", "0x10")], "5m", null);
        yield return new("PgHaReplicaNotStreaming", [S($"pgha_replication_streaming{{{c},application_name=\"pg-ha-1\"}}", "1x10")], "5m", None());
        yield return new("PgHaReplicaNotStreaming", [S($"pgha_replication_streaming{{{c},application_name=\"pg-ha-1\"}}", "1x10"), S($"pgha_replication_streaming{{{c},application_name=\"pg-ha-2\"}}", "1x10")], "5m", null);
        yield return new("PgHaReplicationLagBytes", [S($"pgha_replication_replay_lag_bytes{{{c},application_name=\"pg-ha-1\"}}", "20000000x10")], "8m", new() { ["application_name"] = "pg-ha-1" });
        yield return new("PgHaReplicationLagBytes", [S($"pgha_replication_replay_lag_bytes{{{c},application_name=\"pg-ha-1\"}}", "1000x10")], "8m", null);
        yield return new("PgHaReplicationLagSeconds", [S($"pgha_replication_replay_lag_seconds{{{c},application_name=\"pg-ha-2\"}}", "120x10")], "8m", new() { ["application_name"] = "pg-ha-2" });
        yield return new("PgHaReplicationLagSeconds", [S($"pgha_replication_replay_lag_seconds{{{c},application_name=\"pg-ha-2\"}}", "5x10")], "8m", null);
        yield return new("PgHaSlotInactive", [S($"pgha_slots_active{{{c},slot_name=\"pg_ha_1\",wal_status=\"reserved\"}}", "0x15")], "12m", new() { ["slot_name"] = "pg_ha_1" });
        yield return new("PgHaSlotInactive", [S($"pgha_slots_active{{{c},slot_name=\"pg_ha_1\",wal_status=\"lost\"}}", "0x15")], "12m", null);
        yield return new("PgHaSlotRetainingWalNearCap", [S($"pgha_slots_retained_bytes{{{c},slot_name=\"pg_ha_1\"}}", "4000000000x10")], "8m", new() { ["slot_name"] = "pg_ha_1" });
        yield return new("PgHaSlotRetainingWalNearCap", [S($"pgha_slots_retained_bytes{{{c},slot_name=\"pg_ha_1\"}}", "1000000x10")], "8m", null);
        yield return new("PgHaSlotLost", [S($"pgha_slots_lost{{{c},slot_name=\"pg_ha_2\"}}", "1x5")], "2m", new() { ["slot_name"] = "pg_ha_2" });
        yield return new("PgHaSlotLost", [S($"pgha_slots_lost{{{c},slot_name=\"pg_ha_2\"}}", "0x5")], "2m", null);
        yield return new("PgHaArchivingFailing", [S($"pgha_archiver_failing{{{c},pod=\"pg-ha-0\"}}", "1x10")], "8m", new() { ["pod"] = "pg-ha-0" });
        yield return new("PgHaArchivingFailing", [S($"pgha_archiver_failing{{{c},pod=\"pg-ha-0\"}}", "0x10")], "8m", null);
        yield return new("PgHaFailoverHappened", [S($"patroni_postgres_timeline{{{c},pod=\"pg-ha-1\"}}", "1x15 2x10")], "18m", None());
        yield return new("PgHaFailoverHappened", [S($"patroni_postgres_timeline{{{c},pod=\"pg-ha-1\"}}", "2x25")], "18m", null);
        const string pvc = "namespace=\"db\",persistentvolumeclaim=\"pgdata-pg-ha-0\"";
        yield return new("PgHaVolumeAlmostFull", [S($"kubelet_volume_stats_available_bytes{{{pvc}}}", "1x10"), S($"kubelet_volume_stats_capacity_bytes{{{pvc}}}", "100x10")], "8m",
            new() { ["namespace"] = "db", ["persistentvolumeclaim"] = "pgdata-pg-ha-0" });
        yield return new("PgHaVolumeAlmostFull", [S($"kubelet_volume_stats_available_bytes{{{pvc}}}", "50x10"), S($"kubelet_volume_stats_capacity_bytes{{{pvc}}}", "100x10")], "8m", null);
    }

    [Fact]
    public async Task Rules_pass_promtool_check()
    {
        var rules = Path.Combine(_directory, "rules.yml");
        await File.WriteAllTextAsync(rules, AlertRules.ToYaml(_settings.Cluster, _settings.Patroni, Runbook));
        output.WriteLine(await OsProcess.RunAsync("promtool", ["check", "rules", rules]));
    }

    [Fact]
    public async Task Every_alert_fires_on_its_signal_and_stays_quiet_otherwise()
    {
        var rules = AlertRules.Build(_settings.Cluster, _settings.Patroni).ToDictionary(r => r.Name);
        var cases = Cases().ToArray();
        Assert.Equal(rules.Keys.Order(), cases.Where(c => c.Fires is not null).Select(c => c.Alert).Distinct().Order());
        Assert.Equal(rules.Keys.Order(), cases.Where(c => c.Fires is null).Select(c => c.Alert).Distinct().Order());

        await File.WriteAllTextAsync(Path.Combine(_directory, "rules.yml"), AlertRules.ToYaml(_settings.Cluster, _settings.Patroni, Runbook));
        var tests = cases.Select(c => (object)new Dictionary<string, object>
        {
            ["interval"] = "1m",
            ["input_series"] = c.Input.Select(i => (object)new Dictionary<string, object> { ["series"] = i.Series, ["values"] = i.Values }).ToList(),
            ["alert_rule_test"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["eval_time"] = c.EvalTime,
                    ["alertname"] = c.Alert,
                    ["exp_alerts"] = c.Fires is null ? new List<object>() : new List<object>
                    {
                        new Dictionary<string, object>
                        {
                            ["exp_labels"] = new Dictionary<string, string>(c.Fires) { ["severity"] = rules[c.Alert].Severity, ["cluster"] = "pg-ha" },
                            ["exp_annotations"] = new Dictionary<string, string>
                            {
                                ["summary"] = rules[c.Alert].Summary,
                                ["runbook_url"] = AlertRules.RunbookLink(Runbook, c.Alert),
                            },
                        },
                    },
                },
            },
        }).ToList();
        var testFile = Path.Combine(_directory, "rules.test.yml");
        await File.WriteAllTextAsync(testFile, new SerializerBuilder().DisableAliases().Build().Serialize(new Dictionary<string, object>
        {
            ["rule_files"] = new List<object> { "rules.yml" },
            ["evaluation_interval"] = "1m",
            ["tests"] = tests,
        }));
        output.WriteLine(await OsProcess.RunAsync("promtool", ["test", "rules", testFile], TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void Every_alert_links_to_its_runbook_section()
    {
        var runbook = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "runbook.md"));
        foreach (var rule in AlertRules.Build(_settings.Cluster, _settings.Patroni))
        {
            Assert.Contains($"### {rule.Name}", runbook, StringComparison.Ordinal);
            Assert.EndsWith($"#{rule.Name.ToLowerInvariant()}", AlertRules.RunbookLink(Runbook, rule.Name), StringComparison.Ordinal);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root not found");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
