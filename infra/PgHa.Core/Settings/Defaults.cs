namespace PgHa.Core.Settings;

/// <summary>
/// Fixed values that are not config keys. The default of every key is declared with the key, in
/// <see cref="ConfigKeys"/>; DESIGN notes (docs/design.md) say why.
/// </summary>
public static class Defaults
{
    public const string SuperuserName = "postgres";
    public const string ReplicationUserName = "replicator";

    /// <summary>The least-privilege role (member of pg_monitor) the exporter, the replication check and pgha status/verify use.</summary>
    public const string MonitoringUserName = "pgha_monitor";

    /// <summary>postgres_exporter for the metrics sidecar (prometheus-community/postgres_exporter release v0.15.0).</summary>
    public const string ExporterImage = "quay.io/prometheuscommunity/postgres-exporter:v0.15.0";
}
