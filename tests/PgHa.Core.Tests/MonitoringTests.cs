using PgHa.Core.Monitoring;
using YamlDotNet.Serialization;

namespace PgHa.Core.Tests;

public class MonitoringTests
{
    [Fact]
    public void Monitoring_is_off_by_default_and_its_runbook_url_is_checked()
    {
        var s = TestConfig.LoadValid();
        Assert.False(s.Monitoring.Enabled);
        Assert.Equal("docs/runbook.md", s.Monitoring.RunbookUrl);
        Assert.True(TestConfig.LoadValid(("pgha:monitoring", "true")).Monitoring.Enabled);
        TestConfig.SingleError("pgha:runbookUrl", ("pgha:runbookUrl", "https://x/runbook.md#alerts"));
    }

    [Fact]
    public void Exporter_queries_file_has_each_query_with_labels_and_gauges()
    {
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<string, Dictionary<string, object>>>(ExporterQueries.ToYaml());
        Assert.Equal(["pgha_archiver", "pgha_replication", "pgha_role", "pgha_slots"], doc.Keys.Order());
        Assert.All(doc.Values, q => Assert.StartsWith("SELECT", ((string)q["query"]).Trim(), StringComparison.Ordinal));
        Assert.Contains("pgha_replication_replay_lag_bytes", ExporterQueries.MetricNames);
        Assert.Contains("pgha_slots_lost", ExporterQueries.MetricNames);
        Assert.DoesNotContain("pgha_replication_application_name", ExporterQueries.MetricNames);
    }

    [Fact]
    public void Alert_thresholds_follow_the_settings()
    {
        var s = TestConfig.LoadValid(("pgha:readinessMaxLag", "32MB"), ("pgha:maxSlotWalKeepSize", "5GB"), ("pgha:replicas", "4"), ("pgha:clusterName", "orders"));
        var rules = AlertRules.Build(s.Cluster, s.Patroni).ToDictionary(r => r.Name);
        Assert.EndsWith("> 33554432", rules["PgHaReplicationLagBytes"].Expression, StringComparison.Ordinal);
        Assert.EndsWith($"> {5L * 1024 * 1024 * 1024 * 8 / 10}", rules["PgHaSlotRetainingWalNearCap"].Expression, StringComparison.Ordinal);
        Assert.EndsWith("< 3", rules["PgHaReplicaNotStreaming"].Expression, StringComparison.Ordinal);
        Assert.Contains("persistentvolumeclaim=~\"pgdata-orders-[0-9]+\"", rules["PgHaVolumeAlmostFull"].Expression, StringComparison.Ordinal);
        Assert.Equal(["critical", "warning"], rules.Values.Select(r => r.Severity).Distinct().Order());
    }

    [Fact]
    public void Metric_names_are_found_in_expressions()
    {
        Assert.Equal(["kubelet_volume_stats_available_bytes", "pgha_slots_lost"],
            AlertRules.MetricsIn("max(pgha_slots_lost{cluster=\"x\"}) + kubelet_volume_stats_available_bytes / 2").Order());
    }
}
