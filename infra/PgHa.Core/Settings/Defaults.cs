namespace PgHa.Core.Settings;

/// <summary>Defaults for every optional key. docs/configuration.md explains each; DESIGN.md says why.</summary>
public static class Defaults
{
    public const string ClusterName = "pg-ha";
    public const int Replicas = 3;
    public const int PostgresVersion = 17;

    /// <summary>
    /// Spilo 4.0-p3 (zalando/spilo tag 4.0-p3): PostgreSQL 13 to 17 (PGVERSION picks one), Patroni 4.0.4, pgvector.
    /// Patroni 4 writes the role label value <c>primary</c> (older versions wrote <c>master</c>).
    /// </summary>
    public const string Image = "ghcr.io/zalando/spilo-17:4.0-p3";

    /// <summary>The PostgreSQL majors the default image ships.</summary>
    public const int MinPostgresVersion = 13;
    public const int MaxPostgresVersion = 17;

    public const string StorageSize = "20Gi";
    public const int EbsIops = 3000;
    public const int EbsThroughput = 125;
    public const string CpuRequest = "500m";
    public const string CpuLimit = "2";
    public const string MemoryRequest = "1Gi";
    public const string MemoryLimit = "2Gi";

    // Failover timings: chosen from the failover benchmark (docs/benchmarks.md), not folklore.
    public const int PatroniTtl = 20;
    public const int PatroniLoopWait = 5;
    public const int PatroniRetryTimeout = 7;

    public const string MaximumLagOnFailover = "1MB";
    public const string MaxSlotWalKeepSize = "4GB";
    public const string WalKeepSize = "512MB";
    public const string ReadinessMaxLag = "16MB";

    /// <summary>Long enough for a first bootstrap (image pull, initdb, two base backups) to finish.</summary>
    public const int CheckTimeoutSeconds = 600;

    /// <summary>The preflight runs unless a stack turns it off (CI previews without cluster access).</summary>
    public const bool Preflight = true;

    public const string RunbookUrl = "docs/runbook.md";

    /// <summary>postgres_exporter for the metrics sidecar (prometheus-community/postgres_exporter release v0.15.0).</summary>
    public const string ExporterImage = "quay.io/prometheuscommunity/postgres-exporter:v0.15.0";

    /// <summary>Nightly at 01:00 UTC (Spilo's default too).</summary>
    public const string BackupSchedule = "0 1 * * *";
    public const int BackupRetention = 7;

    /// <summary>Five minutes: the most committed work a total loss of the cluster (and its volumes) can cost.</summary>
    public const int ArchiveTimeoutSeconds = 300;

    public const string Database = "agentic_pm_db";
    public const string AppUser = "agentic_pm";
    public const string SuperuserName = "postgres";
    public const string ReplicationUserName = "replicator";

    public static string StorageClassName(string clusterName) => $"{clusterName}-gp3";
}
