using System.Collections.Immutable;
using System.Text.Json;
using Pulumi.Kubernetes.Apps.V1;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

[Collection(PulumiCollection.Name)]
public class MonitoringStackTests
{
    private static Dictionary<string, string> MonitoringConfig()
    {
        var config = ValidConfig();
        config["pgha:monitoring"] = "true";
        config["pgha:runbookUrl"] = "https://git.example/pg-ha/blob/main/docs/runbook.md";
        return config;
    }

    private static ImmutableDictionary<string, object> Map(object value) => (ImmutableDictionary<string, object>)value;

    private static ImmutableArray<object> List(object value) => (ImmutableArray<object>)value;

    [Fact]
    public async Task Monitoring_is_off_by_default()
    {
        var run = await RunAsync(ValidConfig());
        Assert.DoesNotContain(run.Registered, r => r.Type.Contains("monitoring.coreos.com", StringComparison.Ordinal));
        Assert.Single((await ValueOf(run.Single<StatefulSet>().Spec)).Template.Spec.Containers);
    }

    [Fact]
    public async Task Exporter_sidecar_runs_our_queries_with_credentials_from_the_secret()
    {
        var run = await RunAsync(MonitoringConfig());
        var pod = (await ValueOf(run.Single<StatefulSet>().Spec)).Template.Spec;
        var exporter = Assert.Single(pod.Containers, c => c.Name == "exporter");
        Assert.Equal("quay.io/prometheuscommunity/postgres-exporter:v0.15.0", exporter.Image);
        Assert.Contains("--extend.query-path=/etc/pgha-exporter/queries.yaml", exporter.Args);
        Assert.Equal(9187, Assert.Single(exporter.Ports).ContainerPortValue);
        var env = exporter.Env.ToDictionary(e => e.Name);
        // The monitoring role (pg_monitor), not the superuser.
        Assert.Equal("orders-monitoring", env["DATA_SOURCE_USER"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("orders-monitoring", env["DATA_SOURCE_PASS"].ValueFrom.SecretKeyRef.Name);
        Assert.Contains("sslmode=require", env["DATA_SOURCE_URI"].Value, StringComparison.Ordinal);
        Assert.True(exporter.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal("orders-exporter-queries", pod.Volumes.Single(v => v.Name == "exporter-queries").ConfigMap.Name);

        var queries = Assert.Single(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-exporter-queries"));
        Assert.Contains("pgha_replication:", (string)Map(queries.Inputs["data"])["queries.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pod_monitor_scrapes_patroni_and_the_exporter_with_cluster_and_pod_labels()
    {
        var run = await RunAsync(MonitoringConfig());
        var podMonitor = Assert.Single(run.OfType("kubernetes:monitoring.coreos.com/v1:PodMonitor"));
        var spec = Map(podMonitor.Inputs["spec"]);
        Assert.Equal("orders", Map(Map(spec["selector"])["matchLabels"])["app.kubernetes.io/instance"]);
        var endpoints = List(spec["podMetricsEndpoints"]).Select(Map).ToArray();
        Assert.Equal(["metrics", "patroni"], endpoints.Select(e => (string)e["port"]).Order());
        Assert.All(endpoints, e => Assert.Equal(["cluster", "pod"],
            List(e["relabelings"]).Select(r => (string)Map(r)["targetLabel"]).Order()));

        // Patroni's REST API serves HTTPS: Prometheus verifies it against the cluster's CA under a name the certificate carries.
        var patroni = Assert.Single(endpoints, e => (string)e["port"] == "patroni");
        Assert.Equal("https", patroni["scheme"]);
        var tls = Map(patroni["tlsConfig"]);
        Assert.Equal(("orders-tls", "ca.crt"), ((string)Map(Map(tls["ca"])["secret"])["name"], (string)Map(Map(tls["ca"])["secret"])["key"]));
        Assert.Contains((string)tls["serverName"], PgHa.Core.Tls.ClusterTlsNames.For("orders", "team-db", 3));
        Assert.False(tls.ContainsKey("insecureSkipVerify"));
        var exporter = Assert.Single(endpoints, e => (string)e["port"] == "metrics");
        Assert.False(exporter.ContainsKey("scheme") && (string)exporter["scheme"] == "https", "the exporter serves plain HTTP");
    }

    [Fact]
    public async Task Prometheus_rule_carries_every_alert_with_severity_summary_and_runbook_link()
    {
        var run = await RunAsync(MonitoringConfig());
        var rule = Assert.Single(run.OfType("kubernetes:monitoring.coreos.com/v1:PrometheusRule"));
        var rules = List(Map(List(Map(rule.Inputs["spec"])["groups"])[0])["rules"]).Select(Map).ToArray();
        Assert.Equal(
            ["PgHaArchivingFailing", "PgHaFailoverHappened", "PgHaMultipleLeaders", "PgHaNoLeader", "PgHaReplicaNotStreaming",
             "PgHaReplicationLagBytes", "PgHaReplicationLagSeconds", "PgHaSlotInactive", "PgHaSlotLost", "PgHaSlotRetainingWalNearCap",
             "PgHaVolumeAlmostFull"],
            rules.Select(r => (string)r["alert"]).Order());
        Assert.All(rules, r =>
        {
            Assert.Contains(Map(r["labels"])["severity"], new object[] { "critical", "warning" });
            Assert.False(string.IsNullOrWhiteSpace((string)Map(r["annotations"])["summary"]));
            Assert.Equal($"https://git.example/pg-ha/blob/main/docs/runbook.md#{((string)r["alert"]).ToLowerInvariant()}", Map(r["annotations"])["runbook_url"]);
            // Every rule selects this cluster's series only: by the cluster label, or by its volumes' claim names.
            var expr = (string)r["expr"];
            Assert.True(expr.Contains("cluster=\"orders\"", StringComparison.Ordinal) || expr.Contains("pgdata-orders-", StringComparison.Ordinal), expr);
        });
    }

    [Fact]
    public async Task Dashboard_is_a_grafana_configmap_with_the_same_signals()
    {
        var run = await RunAsync(MonitoringConfig());
        var dashboard = Assert.Single(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-dashboard"));
        Assert.Equal("1", Map(Map(dashboard.Inputs["metadata"])["labels"])["grafana_dashboard"]);
        using var json = JsonDocument.Parse((string)Map(dashboard.Inputs["data"])["orders.json"]);
        var exprs = json.RootElement.GetProperty("panels").EnumerateArray()
            .Select(p => p.GetProperty("targets")[0].GetProperty("expr").GetString()!).ToArray();
        Assert.Contains(exprs, e => e.Contains("patroni_primary", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("pgha_replication_replay_lag_bytes", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("pgha_slots_retained_bytes", StringComparison.Ordinal));
    }
}
