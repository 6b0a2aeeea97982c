using YamlDotNet.Serialization;

namespace PgHa.Core.Monitoring;

/// <summary>
/// postgres_exporter custom queries (its --extend.query-path file): replication per replica, slots, archiver and
/// role, each as pgha_&lt;query&gt;_&lt;column&gt; metrics. The same file runs in the sidecar and in the real-process test.
/// </summary>
public static class ExporterQueries
{
    private sealed record Column(string Name, string Usage, string Description);

    private sealed record Query(string Name, string Sql, IReadOnlyList<Column> Columns);

    private static readonly Query[] Queries =
    [
        new("pgha_replication",
            """
            SELECT application_name,
                   (state = 'streaming')::int AS streaming,
                   COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8 AS replay_lag_bytes,
                   COALESCE(EXTRACT(EPOCH FROM replay_lag), 0)::float8 AS replay_lag_seconds
              FROM pg_stat_replication
             WHERE application_name <> 'pg_basebackup' AND NOT pg_is_in_recovery()
            """,
            [
                new("application_name", "LABEL", "The replica (Patroni member / pod name)."),
                new("streaming", "GAUGE", "1 when the replica streams from this primary."),
                new("replay_lag_bytes", "GAUGE", "WAL the replica has not replayed yet, in bytes."),
                new("replay_lag_seconds", "GAUGE", "Replay lag as measured by the primary, in seconds."),
            ]),
        new("pgha_slots",
            """
            SELECT slot_name::text AS slot_name,
                   COALESCE(wal_status, 'unknown') AS wal_status,
                   active::int AS active,
                   (wal_status = 'lost')::int AS lost,
                   CASE WHEN pg_is_in_recovery() OR restart_lsn IS NULL THEN 0
                        ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) END::float8 AS retained_bytes
              FROM pg_replication_slots
             WHERE slot_type = 'physical'
            """,
            [
                new("slot_name", "LABEL", "The physical slot (one per replica)."),
                new("wal_status", "LABEL", "reserved, extended, unreserved or lost."),
                new("active", "GAUGE", "1 when a replica is connected to the slot."),
                new("lost", "GAUGE", "1 when the slot was invalidated at max_slot_wal_keep_size."),
                new("retained_bytes", "GAUGE", "WAL the slot keeps on the primary, in bytes."),
            ]),
        new("pgha_archiver",
            """
            SELECT archived_count::float8 AS archived_count,
                   failed_count::float8 AS failed_count,
                   (COALESCE(last_failed_time, 'epoch') > COALESCE(last_archived_time, 'epoch'))::int AS failing
              FROM pg_stat_archiver
            """,
            [
                new("archived_count", "COUNTER", "WAL files archived."),
                new("failed_count", "COUNTER", "Failed archiving attempts."),
                new("failing", "GAUGE", "1 when the last archiving attempt failed (no success since)."),
            ]),
        new("pgha_role",
            """
            SELECT pg_is_in_recovery()::int AS in_recovery,
                   CASE WHEN pg_is_in_recovery()
                        THEN COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
                        ELSE 0 END::float8 AS replay_delay_seconds
            """,
            [
                new("in_recovery", "GAUGE", "1 on a replica, 0 on the primary."),
                new("replay_delay_seconds", "GAUGE", "On a replica: seconds since the last replayed transaction's commit."),
            ]),
    ];

    /// <summary>Every metric name the queries produce (what rules and dashboard may use).</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        Queries.SelectMany(q => q.Columns.Where(c => c.Usage != "LABEL").Select(c => $"{q.Name}_{c.Name}")).ToArray();

    /// <summary>Each query's SQL by its name (what the monitoring role's test runs as that role).</summary>
    public static IReadOnlyDictionary<string, string> Sql { get; } = Queries.ToDictionary(q => q.Name, q => q.Sql);

    /// <summary>The queries file as postgres_exporter reads it.</summary>
    public static string ToYaml()
    {
        var document = new Dictionary<string, object>();
        foreach (var query in Queries)
        {
            document[query.Name] = new Dictionary<string, object>
            {
                ["query"] = query.Sql.ReplaceLineEndings(" "),
                ["metrics"] = query.Columns.Select(c => (object)new Dictionary<string, object>
                {
                    [c.Name] = new Dictionary<string, object> { ["usage"] = c.Usage, ["description"] = c.Description },
                }).ToList(),
            };
        }

        return new SerializerBuilder().DisableAliases().Build().Serialize(document);
    }
}
