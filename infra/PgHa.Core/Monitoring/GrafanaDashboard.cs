using System.Text.Json;
using PgHa.Core.Settings;

namespace PgHa.Core.Monitoring;

/// <summary>A Grafana dashboard for the signals the alerts watch: who leads, streaming, lag, slots, archiving, volumes.</summary>
public static class GrafanaDashboard
{
    /// <summary>Panel title and PromQL, in the order they appear.</summary>
    public static IReadOnlyList<(string Title, string Expression)> Panels(ClusterIdentity cluster)
    {
        var c = $"cluster=\"{cluster.Name}\"";
        var volume = $"namespace=\"{cluster.Namespace}\", persistentvolumeclaim=~\"pgdata-{cluster.Name}-[0-9]+\"";
        return
        [
            ("Primary (1 = this pod leads)", $"max by (pod) (patroni_primary{{{c}}})"),
            ("Timeline (a step is a failover)", $"max(patroni_postgres_timeline{{{c}}})"),
            ("Replicas streaming", $"sum(pgha_replication_streaming{{{c}}})"),
            ("Replay lag (bytes)", $"max by (application_name) (pgha_replication_replay_lag_bytes{{{c}}})"),
            ("Replay lag (seconds)", $"max by (application_name) (pgha_replication_replay_lag_seconds{{{c}}})"),
            ("WAL retained per slot (bytes)", $"max by (slot_name) (pgha_slots_retained_bytes{{{c}}})"),
            ("Slots active / lost", $"max by (slot_name) (pgha_slots_active{{{c}}}) - max by (slot_name) (pgha_slots_lost{{{c}}})"),
            ("Archiving failing", $"max by (pod) (pgha_archiver_failing{{{c}}})"),
            ("Volume free (ratio)", $"kubelet_volume_stats_available_bytes{{{volume}}} / kubelet_volume_stats_capacity_bytes{{{volume}}}"),
        ];
    }

    public static string Json(ClusterIdentity cluster)
    {
        var panels = Panels(cluster).Select((panel, i) => new Dictionary<string, object>
        {
            ["id"] = i + 1,
            ["type"] = "timeseries",
            ["title"] = panel.Title,
            ["gridPos"] = new Dictionary<string, int> { ["x"] = i % 3 * 8, ["y"] = i / 3 * 8, ["w"] = 8, ["h"] = 8 },
            ["datasource"] = new Dictionary<string, string> { ["type"] = "prometheus", ["uid"] = "${datasource}" },
            ["targets"] = new[] { new Dictionary<string, string> { ["refId"] = "A", ["expr"] = panel.Expression } },
        });
        var dashboard = new Dictionary<string, object>
        {
            ["uid"] = $"pgha-{cluster.Name}",
            ["title"] = $"PostgreSQL HA: {cluster.Name} ({cluster.Namespace})",
            ["schemaVersion"] = 39,
            ["refresh"] = "30s",
            ["time"] = new Dictionary<string, string> { ["from"] = "now-6h", ["to"] = "now" },
            ["templating"] = new Dictionary<string, object>
            {
                ["list"] = new[] { new Dictionary<string, string> { ["name"] = "datasource", ["type"] = "datasource", ["query"] = "prometheus" } },
            },
            ["panels"] = panels,
        };
        return JsonSerializer.Serialize(dashboard, new JsonSerializerOptions { WriteIndented = true });
    }
}
