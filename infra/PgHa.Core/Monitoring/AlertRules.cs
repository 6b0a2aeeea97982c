using System.Globalization;
using System.Text.RegularExpressions;
using PgHa.Core.Settings;
using YamlDotNet.Serialization;

namespace PgHa.Core.Monitoring;

/// <summary>One alert: name, PromQL, how long it must hold, severity and what it means.</summary>
public sealed record AlertRule(string Name, string Expression, string For, string Severity, string Summary);

/// <summary>
/// The cluster's alerts, for a PrometheusRule and for `promtool`. Series carry a <c>cluster</c> label (the PodMonitor
/// copies it from the pods' instance label), so the rules of two clusters never mix.
/// </summary>
public static partial class AlertRules
{
    /// <summary>Replication lag in seconds worth paging about (the byte threshold follows readinessMaxLag).</summary>
    public const int LagSecondsThreshold = 60;

    [GeneratedRegex(@"\b(?:patroni|pgha|kubelet)_[a-z_]+\b")]
    private static partial Regex MetricName();

    public static IReadOnlyList<AlertRule> Build(ClusterIdentity cluster, PatroniSettings patroni)
    {
        var c = $"cluster=\"{cluster.Name}\"";
        var replicasExpected = cluster.Replicas - 1;
        var lagBytes = patroni.ReadinessMaxLagBytes.ToString(CultureInfo.InvariantCulture);
        var slotCap = PostgresSize.TryParse(patroni.MaxSlotWalKeepSize)!.Value;
        var nearCap = (slotCap * 8 / 10).ToString(CultureInfo.InvariantCulture);
        var volume = $"namespace=\"{cluster.Namespace}\", persistentvolumeclaim=~\"pgdata-{cluster.Name}-[0-9]+\"";
        return
        [
            new("PgHaNoLeader", $"(sum(patroni_primary{{{c}}}) or vector(0)) < 1", "1m", "critical",
                "No member of the cluster is primary: writes fail."),
            new("PgHaMultipleLeaders", $"sum(patroni_primary{{{c}}}) > 1", "30s", "critical",
                "More than one member of the cluster reports itself primary (split brain)."),
            new("PgHaReplicaNotStreaming", $"(sum(pgha_replication_streaming{{{c}}}) or vector(0)) < {replicasExpected}", "2m", "critical",
                $"Fewer than {replicasExpected} replicas stream from the primary."),
            new("PgHaReplicationLagBytes", $"max by (application_name) (pgha_replication_replay_lag_bytes{{{c}}}) > {lagBytes}", "5m", "warning",
                $"A replica (label application_name) has more than {patroni.ReadinessMaxLagBytes / 1024 / 1024} MiB of WAL not replayed."),
            new("PgHaReplicationLagSeconds", $"max by (application_name) (pgha_replication_replay_lag_seconds{{{c}}}) > {LagSecondsThreshold}", "5m", "warning",
                $"A replica (label application_name) replays more than {LagSecondsThreshold} s behind the primary."),
            new("PgHaSlotInactive", $"max by (slot_name) (pgha_slots_active{{{c}, wal_status!=\"lost\"}}) == 0", "10m", "warning",
                "A slot (label slot_name) has no replica connected: it retains WAL on the primary."),
            new("PgHaSlotRetainingWalNearCap", $"max by (slot_name) (pgha_slots_retained_bytes{{{c}}}) > {nearCap}", "5m", "warning",
                $"A slot (label slot_name) retains more than 80% of max_slot_wal_keep_size ({patroni.MaxSlotWalKeepSize}); at the cap it is lost."),
            new("PgHaSlotLost", $"max by (slot_name) (pgha_slots_lost{{{c}}}) == 1", "0m", "critical",
                "A slot (label slot_name) was invalidated at max_slot_wal_keep_size: its replica must be re-cloned."),
            new("PgHaArchivingFailing", $"max by (pod) (pgha_archiver_failing{{{c}}}) == 1", "5m", "warning",
                "WAL archiving fails (label pod): point-in-time recovery is falling behind."),
            new("PgHaFailoverHappened", $"max(patroni_postgres_timeline{{{c}}}) > max(patroni_postgres_timeline{{{c}}} offset 10m)", "0m", "warning",
                "The primary changed (a new timeline) in the last 10 minutes: check why, and that the old primary rejoined."),
            new("PgHaVolumeAlmostFull",
                $"kubelet_volume_stats_available_bytes{{{volume}}} / kubelet_volume_stats_capacity_bytes{{{volume}}} < 0.1", "5m", "critical",
                "A data volume (label persistentvolumeclaim) has less than 10% free."),
        ];
    }

    /// <summary>The rule groups (the PrometheusRule spec, and a rules file for promtool).</summary>
    public static Dictionary<string, object> Groups(ClusterIdentity cluster, PatroniSettings patroni, string runbookUrl) => new()
    {
        ["groups"] = new List<object>
        {
            new Dictionary<string, object>
            {
                ["name"] = $"pgha-{cluster.Name}",
                ["rules"] = Build(cluster, patroni).Select(rule => (object)new Dictionary<string, object>
                {
                    ["alert"] = rule.Name,
                    ["expr"] = rule.Expression,
                    ["for"] = rule.For,
                    ["labels"] = new Dictionary<string, object> { ["severity"] = rule.Severity, ["cluster"] = cluster.Name },
                    ["annotations"] = new Dictionary<string, object>
                    {
                        ["summary"] = rule.Summary,
                        ["runbook_url"] = RunbookLink(runbookUrl, rule.Name),
                    },
                }).ToList(),
            },
        },
    };

    public static string ToYaml(ClusterIdentity cluster, PatroniSettings patroni, string runbookUrl) =>
        new SerializerBuilder().DisableAliases().Build().Serialize(Groups(cluster, patroni, runbookUrl));

    /// <summary>The runbook section of an alert: a heading named after it in docs/runbook.md.</summary>
    public static string RunbookLink(string runbookUrl, string alert) => $"{runbookUrl}#{alert.ToLowerInvariant()}";

    /// <summary>Metric names an expression uses.</summary>
    public static IEnumerable<string> MetricsIn(string expression) => MetricName().Matches(expression).Select(m => m.Value).Distinct();
}
