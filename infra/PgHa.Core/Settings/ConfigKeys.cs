namespace PgHa.Core.Settings;

/// <summary>The type a config key declares in Pulumi.yaml's project config schema.</summary>
public enum ConfigKeyType
{
    String,
    Integer,
    Boolean,
}

/// <summary>One stack config key this program reads: its name, type, whether it is a secret, and what it means.</summary>
public sealed record ConfigKey(string Name, ConfigKeyType Type, string Description, bool Secret = false)
{
    /// <summary>The project namespace every key lives in.</summary>
    public const string Namespace = "pgha";

    /// <summary>The full name, as `pulumi config set` takes it: <c>pgha:replicas</c>.</summary>
    public string FullName => $"{Namespace}:{Name}";

    public override string ToString() => FullName;
}

/// <summary>
/// The catalogue of every config key. Pulumi.yaml declares exactly these (a test holds the two together),
/// so a key cannot be read here without being documented there.
/// </summary>
public static class ConfigKeys
{
    public static readonly ConfigKey ClusterName = new("clusterName", ConfigKeyType.String,
        "Name of the cluster: prefix of every Kubernetes object and Patroni scope (DNS-1123 label, at most 40 characters). Default: pg-ha.");
    public static readonly ConfigKey Namespace = new("namespace", ConfigKeyType.String,
        "Kubernetes namespace the cluster runs in (DNS-1123 label). Required.");
    public static readonly ConfigKey CreateNamespace = new("createNamespace", ConfigKeyType.Boolean,
        "true: the stack creates and owns the namespace; false: it must already exist. Default: false.");
    public static readonly ConfigKey DeletionProtection = new("deletionProtection", ConfigKeyType.Boolean,
        "true (default): the Namespace the stack creates, the StatefulSet and the credential Secrets are protected, so pulumi destroy or a plan that would delete or replace them stops with Pulumi's protected-resource error. To tear down on purpose: set false, pulumi up, then destroy. Volumes and a created Namespace are never deleted either way.");
    public static readonly ConfigKey Platform = new("platform", ConfigKeyType.String,
        "eks (EBS gp3 StorageClass with a KMS key) or generic (any other cluster, e.g. kind; uses an existing StorageClass, creates no AWS resource). Default: eks.");
    public static readonly ConfigKey KubeContext = new("kubeContext", ConfigKeyType.String,
        "kubeconfig context to deploy to. One of kubeContext or eksClusterName is required, so a stack never deploys to whatever cluster is current.");
    public static readonly ConfigKey EksClusterName = new("eksClusterName", ConfigKeyType.String,
        "EKS cluster to deploy to: its endpoint and CA are looked up with Pulumi.Aws and credentials come from `aws eks get-token` (needs aws:region).");
    public static readonly ConfigKey Replicas = new("replicas", ConfigKeyType.Integer,
        "Number of PostgreSQL pods: one primary, the rest streaming replicas. At least 2. Default: 3.");
    public static readonly ConfigKey PostgresVersion = new("postgresVersion", ConfigKeyType.Integer,
        "PostgreSQL major version the Spilo image runs (13 to 17). Default: 17.");
    public static readonly ConfigKey Image = new("image", ConfigKeyType.String,
        "Spilo image (Patroni + PostgreSQL + pgvector), pinned by tag or digest. Default: ghcr.io/zalando/spilo-17:4.0-p3 (Patroni 4.0.4, PostgreSQL 13 to 17).");
    public static readonly ConfigKey StorageSize = new("storageSize", ConfigKeyType.String,
        "Volume size per pod, a Kubernetes quantity. Default: 20Gi.");
    public static readonly ConfigKey StorageClassName = new("storageClassName", ConfigKeyType.String,
        "eks: name of the StorageClass the stack creates (default <clusterName>-gp3). generic: an existing StorageClass (required).");
    public static readonly ConfigKey EbsIops = new("ebsIops", ConfigKeyType.Integer,
        "gp3 provisioned IOPS (3000 to 80000, at most 500 per GiB). Default: 3000.");
    public static readonly ConfigKey EbsThroughput = new("ebsThroughput", ConfigKeyType.Integer,
        "gp3 throughput in MiB/s (125 to 2000, at most IOPS/4). Default: 125.");
    public static readonly ConfigKey KmsKeyArn = new("kmsKeyArn", ConfigKeyType.String,
        "Existing KMS key ARN for EBS encryption. Default: the stack creates a key with rotation on.");
    public static readonly ConfigKey CpuRequest = new("cpuRequest", ConfigKeyType.String, "CPU request per pod. Default: 500m.");
    public static readonly ConfigKey CpuLimit = new("cpuLimit", ConfigKeyType.String, "CPU limit per pod (>= cpuRequest). Default: 2.");
    public static readonly ConfigKey MemoryRequest = new("memoryRequest", ConfigKeyType.String, "Memory request per pod. Default: 1Gi.");
    public static readonly ConfigKey MemoryLimit = new("memoryLimit", ConfigKeyType.String, "Memory limit per pod (>= memoryRequest). Default: 2Gi.");
    public static readonly ConfigKey AntiAffinity = new("antiAffinity", ConfigKeyType.String,
        "required: never two pods on one node; preferred: spread when possible. Default: required.");
    public static readonly ConfigKey ZoneSpread = new("zoneSpread", ConfigKeyType.String,
        "Spread pods over zones: required (DoNotSchedule), preferred (ScheduleAnyway) or none. Default: required.");
    public static readonly ConfigKey PatroniTtl = new("patroniTtl", ConfigKeyType.Integer,
        "Seconds the leader lock lives without renewal; bounds crash-failover time. >= 20. Default: 20.");
    public static readonly ConfigKey PatroniLoopWait = new("patroniLoopWait", ConfigKeyType.Integer,
        "Seconds between Patroni HA loops. >= 1. Default: 5.");
    public static readonly ConfigKey PatroniRetryTimeout = new("patroniRetryTimeout", ConfigKeyType.Integer,
        "Seconds Patroni retries the DCS (Kubernetes API) and PostgreSQL before demoting. >= 3, loop_wait + 2*retry_timeout <= ttl. Default: 7.");
    public static readonly ConfigKey SynchronousMode = new("synchronousMode", ConfigKeyType.String,
        "off (asynchronous), on (synchronous when a standby is available) or strict (writes wait for a standby, zero loss). Default: off.");
    public static readonly ConfigKey MaximumLagOnFailover = new("maximumLagOnFailover", ConfigKeyType.String,
        "A replica further behind than this (PostgreSQL size, e.g. 1MB) is never promoted. Default: 1MB.");
    public static readonly ConfigKey MaxSlotWalKeepSize = new("maxSlotWalKeepSize", ConfigKeyType.String,
        "Most WAL a replication slot may retain (PostgreSQL size); a dead replica cannot fill the primary's disk. Less than half of storageSize. Default: 4GB.");
    public static readonly ConfigKey WalKeepSize = new("walKeepSize", ConfigKeyType.String,
        "WAL kept regardless of slots, a net for replicas whose slot was lost (PostgreSQL size). Default: 512MB.");
    public static readonly ConfigKey ReadinessMaxLag = new("readinessMaxLag", ConfigKeyType.String,
        "A replica further behind than this (PostgreSQL size) is not ready and leaves the read-only Service. Default: 16MB.");
    public static readonly ConfigKey CheckConnectionMode = new("checkConnectionMode", ConfigKeyType.String,
        "How the post-deploy replication check reaches the pods: portForward (through the Kubernetes API, works from a laptop or CI runner) or direct (cluster DNS, for runners inside the cluster). Default: portForward.");
    public static readonly ConfigKey CheckTimeoutSeconds = new("checkTimeoutSeconds", ConfigKeyType.Integer,
        "How long the post-deploy replication check keeps retrying (pods may still be joining after a rollout) before it fails the deployment. 30 to 3600. Default: 600.");
    public static readonly ConfigKey Preflight = new("preflight", ConfigKeyType.Boolean,
        "true: before anything is created, `pulumi preview` and `pulumi up` read the target cluster (read-only) and fail listing every problem that would otherwise surface halfway through a deployment (namespace, StorageClass, nodes, CRDs, the app ConfigMap and Deployments, existing Secrets); false: skip it, e.g. for CI previews without cluster access. Default: true.");
    public static readonly ConfigKey Monitoring = new("monitoring", ConfigKeyType.Boolean,
        "true: a postgres_exporter sidecar, a PodMonitor, a PrometheusRule with the alerts and a Grafana dashboard ConfigMap (needs the Prometheus Operator CRDs). Default: false.");
    public static readonly ConfigKey RunbookUrl = new("runbookUrl", ConfigKeyType.String,
        "Where docs/runbook.md of this repository is served; each alert links to its section there. Default: docs/runbook.md (relative).");
    public static readonly ConfigKey Backups = new("backups", ConfigKeyType.Boolean,
        "true: continuous WAL archiving and scheduled base backups to S3 with WAL-G (eks: the stack creates a locked-down, KMS-encrypted bucket and an IRSA role; generic: set backupBucket, backupS3Endpoint and backupCredentialsSecret). Default: false.");
    public static readonly ConfigKey BackupSchedule = new("backupSchedule", ConfigKeyType.String,
        "When base backups run: a 5-field cron expression in UTC. Default: 0 1 * * * (nightly at 01:00).");
    public static readonly ConfigKey BackupRetention = new("backupRetention", ConfigKeyType.Integer,
        "How many base backups to keep; Spilo's backup job also keeps every backup younger than this many days. 2 to 365. Default: 7.");
    public static readonly ConfigKey BackupFromReplica = new("backupFromReplica", ConfigKeyType.Boolean,
        "true: each base backup is taken on one healthy replica (the first by name), sparing the primary, or on the primary when no replica is healthy; false: on the primary. Default: true.");
    public static readonly ConfigKey ArchiveTimeoutSeconds = new("archiveTimeoutSeconds", ConfigKeyType.Integer,
        "Longest time a finished transaction waits before its WAL segment is archived: the recovery point objective when the whole cluster is lost. 30 to 3600. Default: 300.");
    public static readonly ConfigKey BackupBucket = new("backupBucket", ConfigKeyType.String,
        "generic: an existing S3-compatible bucket for backups (required with backups). eks: not used, the stack creates the bucket.");
    public static readonly ConfigKey BackupS3Endpoint = new("backupS3Endpoint", ConfigKeyType.String,
        "generic: the S3-compatible endpoint URL, e.g. http://minio.minio:9000 (required with backups).");
    public static readonly ConfigKey BackupCredentialsSecret = new("backupCredentialsSecret", ConfigKeyType.String,
        "generic: an existing Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the endpoint (required with backups).");
    public static readonly ConfigKey EksOidcIssuer = new("eksOidcIssuer", ConfigKeyType.String,
        "eks with kubeContext: the cluster's OIDC issuer URL (aws eks describe-cluster --query cluster.identity.oidc.issuer) for the backup role's trust. With eksClusterName it is looked up.");
    public static readonly ConfigKey RestoreFromCluster = new("restoreFromCluster", ConfigKeyType.String,
        "Bootstrap this (new) cluster from another cluster's backups: that cluster's pgha:clusterName. Read only when the cluster is first created.");
    public static readonly ConfigKey RestoreFromNamespace = new("restoreFromNamespace", ConfigKeyType.String,
        "Namespace the source cluster ran in. Default: pgha:namespace.");
    public static readonly ConfigKey RestoreFromBucket = new("restoreFromBucket", ConfigKeyType.String,
        "Bucket holding the source cluster's backups (the source stack's backupBucket output). Default: this stack's backup bucket.");
    public static readonly ConfigKey RestoreTargetTime = new("restoreTargetTime", ConfigKeyType.String,
        "Point in time to recover to, RFC 3339 with a zone (e.g. 2026-11-25T10:30:00Z). Default: the end of the archived WAL.");
    public static readonly ConfigKey MigrationSourceHost = new("migrationSourceHost", ConfigKeyType.String,
        "Host of the old single PostgreSQL to migrate from (e.g. its Service DNS name). Setting it turns the one-time migration on.");
    public static readonly ConfigKey MigrationSourcePort = new("migrationSourcePort", ConfigKeyType.Integer,
        "Port of the old PostgreSQL. Default: 5432.");
    public static readonly ConfigKey MigrationSourceDatabase = new("migrationSourceDatabase", ConfigKeyType.String,
        "Database to migrate from the old PostgreSQL. Default: the value of pgha:database.");
    public static readonly ConfigKey MigrationSourceSecret = new("migrationSourceSecret", ConfigKeyType.String,
        "Existing Secret (keys username, password) with credentials for the old PostgreSQL; required with pgha:migrationSourceHost.");
    public static readonly ConfigKey MigrationSourceSslMode = new("migrationSourceSslMode", ConfigKeyType.String,
        "libpq sslmode for the old PostgreSQL (disable, prefer, require, verify-ca, verify-full). Default: prefer.");
    public static readonly ConfigKey MigrationForce = new("migrationForce", ConfigKeyType.Boolean,
        "true: replace whatever the target database already holds. Default: false (a non-empty target is refused).");
    public static readonly ConfigKey MigrationScaleDownDeployment = new("migrationScaleDownDeployment", ConfigKeyType.String,
        "Name of the old PostgreSQL Deployment to scale to zero after a verified migration (reversible: remove the key). Default: none.");
    public static readonly ConfigKey AppConfig = new("appConfig", ConfigKeyType.String,
        "An existing app ConfigMap the stack keeps current with the connection values (server-side apply of only those keys; its other keys are left alone). Default: none.");
    public static readonly ConfigKey AppConfigKeys = new("appConfigKeys", ConfigKeyType.String,
        "Key names in the app ConfigMap as field=KEY pairs, fields host, readHost, port, database. Default: host=POSTGRES_HOST,readHost=POSTGRES_READ_HOST,port=POSTGRES_PORT,database=POSTGRES_DB.");
    public static readonly ConfigKey AppNamespace = new("appNamespace", ConfigKeyType.String,
        "Namespace of the app ConfigMap and Deployments. Default: pgha:namespace.");
    public static readonly ConfigKey AppRestartDeployments = new("appRestartDeployments", ConfigKeyType.String,
        "Comma-separated Deployments restarted (pod template annotation, as kubectl rollout restart does) when a managed value changes; nothing restarts otherwise. Needs appConfig. Default: none.");
    public static readonly ConfigKey Database = new("database", ConfigKeyType.String, "Application database. Default: agentic_pm_db.");
    public static readonly ConfigKey AppUser = new("appUser", ConfigKeyType.String, "Application role (owner of the database). Default: agentic_pm.");
    public static readonly ConfigKey SuperuserPassword = new("superuserPassword", ConfigKeyType.String,
        "Password of the postgres superuser (secret). Or set existingSuperuserSecret.", Secret: true);
    public static readonly ConfigKey ReplicationPassword = new("replicationPassword", ConfigKeyType.String,
        "Password of the replicator role (secret). Or set existingReplicationSecret.", Secret: true);
    public static readonly ConfigKey AppPassword = new("appPassword", ConfigKeyType.String,
        "Password of the application role (secret). Or set existingAppSecret.", Secret: true);
    public static readonly ConfigKey ExistingSuperuserSecret = new("existingSuperuserSecret", ConfigKeyType.String,
        "Name of an existing Secret (keys username, password) with the superuser credentials.");
    public static readonly ConfigKey ExistingReplicationSecret = new("existingReplicationSecret", ConfigKeyType.String,
        "Name of an existing Secret (keys username, password) with the replication credentials.");
    public static readonly ConfigKey ExistingAppSecret = new("existingAppSecret", ConfigKeyType.String,
        "Name of an existing Secret (keys username, password) with the application credentials.");

    /// <summary>Every key, in the order the docs list them.</summary>
    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        ClusterName, Namespace, CreateNamespace, DeletionProtection, Platform, KubeContext, EksClusterName,
        Replicas, PostgresVersion, Image,
        StorageSize, StorageClassName, EbsIops, EbsThroughput, KmsKeyArn,
        CpuRequest, CpuLimit, MemoryRequest, MemoryLimit,
        AntiAffinity, ZoneSpread,
        PatroniTtl, PatroniLoopWait, PatroniRetryTimeout, SynchronousMode, MaximumLagOnFailover,
        MaxSlotWalKeepSize, WalKeepSize, ReadinessMaxLag,
        CheckConnectionMode, CheckTimeoutSeconds, Preflight,
        Monitoring, RunbookUrl,
        Backups, BackupSchedule, BackupRetention, BackupFromReplica, ArchiveTimeoutSeconds,
        BackupBucket, BackupS3Endpoint, BackupCredentialsSecret, EksOidcIssuer,
        RestoreFromCluster, RestoreFromNamespace, RestoreFromBucket, RestoreTargetTime,
        MigrationSourceHost, MigrationSourcePort, MigrationSourceDatabase, MigrationSourceSecret, MigrationSourceSslMode,
        MigrationForce, MigrationScaleDownDeployment,
        Database, AppUser,
        AppConfig, AppConfigKeys, AppNamespace, AppRestartDeployments,
        SuperuserPassword, ReplicationPassword, AppPassword,
        ExistingSuperuserSecret, ExistingReplicationSecret, ExistingAppSecret,
    ];

    /// <summary>The AWS provider's region, read for the EKS lookup.</summary>
    public const string AwsRegion = "aws:region";
}
