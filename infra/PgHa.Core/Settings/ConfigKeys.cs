namespace PgHa.Core.Settings;

/// <summary>
/// Every config key, each declared once: type, default, limits and meaning. The loader reads keys through these
/// declarations, fix hints name them from here, and the <c>config:</c> block of Pulumi.yaml and the key table of
/// docs/configuration.md are generated from them (<see cref="SettingsReference"/>; run
/// <c>dotnet run --project tools/PgHa.ConfigSchema -- --write</c> after a change, a test fails until then).
/// Defaults are generic: what is specific to one app (its database, role, ConfigMap) belongs in its stack file.
/// </summary>
public static class ConfigKeys
{
    // Fields are initialised in this order: a key that names another (DefaultFrom, ExistingSecret) comes after it.
    // The order of the docs is All's.

    public static readonly StringSetting ClusterName = new("clusterName",
        "Name of the cluster: prefix of every Kubernetes object and Patroni scope.")
    {
        Default = "pg-ha", Rule = ValueRules.Dns1123Label(SettingsLoader.MaxClusterNameLength), Placeholder = "<cluster name>",
    };

    public static readonly StringSetting Namespace = new("namespace", "Kubernetes namespace the cluster runs in.")
    {
        Required = true, Rule = ValueRules.Dns1123Label(63), Placeholder = "<namespace>",
    };

    public static readonly BoolSetting CreateNamespace = new("createNamespace",
        "true: the stack creates and owns the namespace; false: it must already exist.", false);

    public static readonly BoolSetting DeletionProtection = new("deletionProtection",
        "true: the Namespace the stack creates, the StatefulSet and the credential Secrets are protected, so pulumi destroy or a " +
        "plan that would delete or replace them stops with Pulumi's protected-resource error. To tear down on purpose: set false, " +
        "pulumi up, then destroy. Volumes and a created Namespace are never deleted either way.", true);

    public static readonly EnumSetting<Platform> Platform = new("platform", "The kind of Kubernetes cluster.", Settings.Platform.Eks,
        (Settings.Platform.Eks, "EBS gp3 StorageClass with a KMS key"),
        (Settings.Platform.Generic, "any other cluster, e.g. kind: uses an existing StorageClass and creates no AWS resource"));

    public static readonly StringSetting KubeContext = new("kubeContext",
        "kubeconfig context to deploy to. One of pgha:kubeContext or pgha:eksClusterName is required, so a stack never deploys " +
        "to whatever cluster is current.")
    {
        Placeholder = "<context>",
    };

    public static readonly StringSetting EksClusterName = new("eksClusterName",
        "EKS cluster to deploy to: its endpoint and CA are looked up with Pulumi.Aws and credentials come from " +
        "`aws eks get-token` (needs aws:region).")
    {
        Placeholder = "<name>",
    };

    public static readonly IntSetting Replicas = new("replicas",
        "Number of PostgreSQL pods: one primary, the rest streaming replicas.", 3, 2, 9)
    {
        Reason = "one primary and at least one replica",
    };

    public static readonly IntSetting PostgresVersion = new("postgresVersion",
        "PostgreSQL major version the Spilo image runs.", 17, 13, 17)
    {
        Reason = "the majors the default Spilo image ships",
    };

    /// <summary>
    /// Spilo 4.0-p3 (zalando/spilo tag 4.0-p3): PostgreSQL 13 to 17 (PGVERSION picks one), Patroni 4.0.4, pgvector.
    /// Patroni 4 writes the role label value <c>primary</c> (older versions wrote <c>master</c>).
    /// </summary>
    public static readonly StringSetting Image = new("image",
        "Spilo image (Patroni + PostgreSQL + pgvector). The default, zalando/spilo tag 4.0-p3, ships Patroni 4.0.4 and " +
        $"PostgreSQL {PostgresVersion.Min} to {PostgresVersion.Max}.")
    {
        Default = "ghcr.io/zalando/spilo-17:4.0-p3", Rule = ValueRules.PinnedImage, Placeholder = "<image>:<tag>",
    };

    public static readonly QuantitySetting StorageSize = new("storageSize", "Volume size per pod.", "20Gi")
    {
        Min = ("1Gi", "PostgreSQL with WAL needs more"), Max = ("64Ti", "the largest gp3 volume"),
    };

    public static readonly StringSetting StorageClassName = new("storageClassName",
        "eks: name of the StorageClass the stack creates (gp3, encrypted). generic: an existing StorageClass.")
    {
        Rule = ValueRules.Dns1123Subdomain, Placeholder = "<existing StorageClass, e.g. standard>",
        Unset = $"default on eks: {EksStorageClassName("<clusterName>")}; required on generic",
    };

    public static readonly IntSetting EbsIops = new("ebsIops",
        $"gp3 provisioned IOPS, at most {SettingsLoader.Gp3IopsPerGiB} per GiB of pgha:storageSize.", 3000, 3000, 80000)
    {
        Unit = "IOPS", Reason = "gp3's range",
    };

    public static readonly IntSetting EbsThroughput = new("ebsThroughput",
        $"gp3 throughput, at most 1 MiB/s per {SettingsLoader.Gp3IopsPerMiBps} provisioned IOPS.", 125, 125, 2000)
    {
        Unit = "MiB/s", Reason = "gp3's range",
    };

    public static readonly StringSetting KmsKeyArn = new("kmsKeyArn", "Existing KMS key for EBS encryption (eks).")
    {
        Rule = ValueRules.KmsKeyArn, Placeholder = "arn:aws:kms:<region>:<account>:key/<id>",
        Unset = "default: the stack creates a key with rotation on",
    };

    public static readonly QuantitySetting CpuRequest = new("cpuRequest", "CPU request per pod.", "500m");

    public static readonly QuantitySetting CpuLimit = new("cpuLimit", $"CPU limit per pod, at least {CpuRequest.FullName}.", "2");

    public static readonly QuantitySetting MemoryRequest = new("memoryRequest", "Memory request per pod.", "1Gi")
    {
        Min = ("256Mi", "PostgreSQL and Patroni do not fit"),
    };

    public static readonly QuantitySetting MemoryLimit = new("memoryLimit", $"Memory limit per pod, at least {MemoryRequest.FullName}.", "2Gi");

    public static readonly EnumSetting<AntiAffinityMode> AntiAffinity = new("antiAffinity",
        "How strictly pods keep to separate nodes.", AntiAffinityMode.Required,
        (AntiAffinityMode.Required, "never two pods on one node"),
        (AntiAffinityMode.Preferred, "spread when possible"));

    public static readonly EnumSetting<ZoneSpreadMode> ZoneSpread = new("zoneSpread",
        "How strictly pods spread over zones.", ZoneSpreadMode.Required,
        (ZoneSpreadMode.Required, "DoNotSchedule"),
        (ZoneSpreadMode.Preferred, "ScheduleAnyway"),
        (ZoneSpreadMode.None, "no spread"));

    public static readonly IntSetting PatroniTtl = new("patroniTtl",
        "Seconds the leader lock lives without renewal; bounds crash-failover time. " +
        "pgha:patroniLoopWait + 2 * pgha:patroniRetryTimeout must not exceed it.", 20, 20, 3600)
    {
        Unit = "seconds", Reason = "Patroni's minimum is 20",
    };

    public static readonly IntSetting PatroniLoopWait = new("patroniLoopWait", "Seconds between Patroni HA loops.", 5, 1, 3600)
    {
        Unit = "seconds",
    };

    public static readonly IntSetting PatroniRetryTimeout = new("patroniRetryTimeout",
        "Seconds Patroni retries the DCS (Kubernetes API) and PostgreSQL before demoting.", 7, 3, 3600)
    {
        Unit = "seconds", Reason = "Patroni's minimum is 3",
    };

    public static readonly EnumSetting<SynchronousMode> SynchronousMode = new("synchronousMode",
        "Replication mode.", Settings.SynchronousMode.Off,
        (Settings.SynchronousMode.Off, "asynchronous"),
        (Settings.SynchronousMode.On, "synchronous when a standby is available"),
        (Settings.SynchronousMode.Strict, "writes wait for a standby, zero loss"));

    public static readonly SizeSetting MaximumLagOnFailover = new("maximumLagOnFailover",
        "A replica further behind than this is never promoted.", "1MB");

    public static readonly SizeSetting MaxSlotWalKeepSize = new("maxSlotWalKeepSize",
        "Most WAL a replication slot may retain, so a dead replica cannot fill the primary's disk. " +
        $"Less than half of {StorageSize.FullName}.", "4GB")
    {
        Rule = new("not -1 (unlimited)", value => value.Trim() == "-1"
            ? "is -1 (unlimited): a dead replica's slot would keep WAL until the primary's disk is full." : null),
    };

    public static readonly SizeSetting WalKeepSize = new("walKeepSize",
        "WAL kept regardless of slots, a net for replicas whose slot was lost.", "512MB");

    public static readonly SizeSetting ReadinessMaxLag = new("readinessMaxLag",
        "A replica further behind than this is not ready and leaves the read-only Service.", "16MB");

    public static readonly EnumSetting<CheckConnectionMode> CheckConnectionMode = new("checkConnectionMode",
        "How the post-deploy replication check reaches the pods.", Settings.CheckConnectionMode.PortForward,
        (Settings.CheckConnectionMode.PortForward, "through the Kubernetes API, works from a laptop or CI runner"),
        (Settings.CheckConnectionMode.Direct, "cluster DNS, for runners inside the cluster"));

    /// <summary>Long enough for a first bootstrap (image pull, initdb, two base backups) to finish.</summary>
    public static readonly IntSetting CheckTimeoutSeconds = new("checkTimeoutSeconds",
        "How long the post-deploy replication check keeps retrying (pods may still be joining after a rollout) before it " +
        "fails the deployment; also how long the day-2 rollout waits for each restarted member.", 600, 30, 3600)
    {
        Unit = "seconds",
    };

    /// <summary>The preflight runs unless a stack turns it off (CI previews without cluster access).</summary>
    public static readonly BoolSetting Preflight = new("preflight",
        "true: before anything is created, `pulumi preview` and `pulumi up` read the target cluster (read-only) and fail listing " +
        "every problem that would otherwise surface halfway through a deployment (namespace, StorageClass, nodes, CRDs, the app " +
        "ConfigMap and Deployments, existing Secrets); false: skip it, e.g. for CI previews without cluster access.", true);

    public static readonly BoolSetting Monitoring = new("monitoring",
        "true: a postgres_exporter sidecar, a PodMonitor, a PrometheusRule with the alerts and a Grafana dashboard ConfigMap " +
        "(needs the Prometheus Operator CRDs).", false);

    public static readonly StringSetting RunbookUrl = new("runbookUrl",
        "Where docs/runbook.md of this repository is served; each alert links to its section there.")
    {
        Default = "docs/runbook.md", Rule = ValueRules.LinkBase, Placeholder = "<URL>",
    };

    public static readonly BoolSetting NetworkPolicies = new("networkPolicies",
        "true: NetworkPolicies admit only the cluster's own traffic (PostgreSQL from the members, the stack's Jobs and the app's pods; " +
        "Patroni's API from the members and, with monitoring, Prometheus; the members' egress to each other, DNS, the Kubernetes API " +
        "and the backup store). false: no policies, for a cluster without a policy engine, where they would be ignored.", true);

    public static readonly StringSetting AppPodNamespace = new("appPodNamespace",
        "Namespace of the app's pods, which the NetworkPolicies let connect to PostgreSQL.")
    {
        Rule = ValueRules.Dns1123Label(63), DefaultFrom = Namespace, Placeholder = "<namespace>",
    };

    public static readonly StringSetting AppPodSelector = new("appPodSelector",
        "Labels of the app's pods in pgha:appPodNamespace, which the NetworkPolicies let connect to PostgreSQL (e.g. app=backend).")
    {
        Rule = ValueRules.LabelSelector, Placeholder = "<key=value>", Unset = "when unset, every pod of pgha:appPodNamespace may connect",
    };

    public static readonly StringSetting MonitoringNamespace = new("monitoringNamespace",
        "Namespace Prometheus runs in: with pgha:monitoring, the NetworkPolicies let its pods scrape Patroni and the exporter.")
    {
        Default = "monitoring", Rule = ValueRules.Dns1123Label(63), Placeholder = "<namespace>",
    };

    public static readonly BoolSetting Backups = new("backups",
        "true: continuous WAL archiving and scheduled base backups to S3 with WAL-G (eks: the stack creates a locked-down, " +
        "KMS-encrypted bucket and an IRSA role; generic: set pgha:backupBucket, pgha:backupS3Endpoint, pgha:backupS3Region and " +
        "pgha:backupCredentialsSecret).", false);

    /// <summary>Nightly at 01:00 UTC (Spilo's default too).</summary>
    public static readonly StringSetting BackupSchedule = new("backupSchedule", "When base backups run.")
    {
        Default = "0 1 * * *", Rule = ValueRules.Cron, Placeholder = "<cron expression>",
    };

    public static readonly IntSetting BackupRetention = new("backupRetention",
        "How many base backups to keep; Spilo's backup job also keeps every backup younger than this many days.", 7, 2, 365)
    {
        Reason = "Spilo keeps at least 2",
    };

    public static readonly BoolSetting BackupFromReplica = new("backupFromReplica",
        "true: each base backup is taken on one healthy replica (the first by name), sparing the primary, or on the primary " +
        "when no replica is healthy; false: on the primary.", true);

    /// <summary>Five minutes: the most committed work a total loss of the cluster (and its volumes) can cost.</summary>
    public static readonly IntSetting ArchiveTimeoutSeconds = new("archiveTimeoutSeconds",
        "Longest time a finished transaction waits before its WAL segment is archived: the recovery point objective when the " +
        "whole cluster is lost.", 300, 30, 3600)
    {
        Unit = "seconds",
    };

    public static readonly StringSetting BackupBucket = new("backupBucket", "generic: an existing S3-compatible bucket for backups.")
    {
        Rule = ValueRules.BucketName, Placeholder = "<existing bucket>",
        Unset = "required on generic with backups; eks does not use it (the stack creates the bucket)",
    };

    public static readonly StringSetting BackupS3Endpoint = new("backupS3Endpoint", "generic: the S3-compatible endpoint URL.")
    {
        Rule = ValueRules.HttpUrl, Placeholder = "<URL, e.g. http://minio.minio:9000>", Unset = "required on generic with backups",
    };

    public static readonly StringSetting BackupS3Region = new("backupS3Region",
        "generic: the region the S3-compatible store expects requests to be signed for (WAL-G needs one; MinIO's own default " +
        "is us-east-1). A property of the store, so it has no default.")
    {
        Rule = ValueRules.Region, Placeholder = "<the store's region>", Unset = "required on generic with backups",
    };

    public static readonly StringSetting BackupCredentialsSecret = new("backupCredentialsSecret",
        "generic: an existing Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the endpoint.")
    {
        Rule = ValueRules.Dns1123Label(253), Placeholder = "<existing Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY>",
        Unset = "required on generic with backups",
    };

    public static readonly StringSetting EksOidcIssuer = new("eksOidcIssuer",
        "eks: the cluster's OIDC issuer URL, which the backup role trusts (IRSA).")
    {
        Rule = ValueRules.HttpsUrl,
        Placeholder = "$(aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text)",
        Unset = "required on eks with backups and pgha:kubeContext; with pgha:eksClusterName it is looked up",
    };

    public static readonly StringSetting RestoreFromCluster = new("restoreFromCluster",
        "Bootstrap this (new) cluster from another cluster's backups: that cluster's pgha:clusterName. Read only when the " +
        "cluster is first created.")
    {
        Rule = ValueRules.Dns1123Label(SettingsLoader.MaxClusterNameLength), Placeholder = "<the source stack's pgha:clusterName>",
    };

    public static readonly StringSetting RestoreFromNamespace = new("restoreFromNamespace", "Namespace the source cluster ran in.")
    {
        Rule = ValueRules.Dns1123Label(63), DefaultFrom = Namespace, Placeholder = "<namespace>",
    };

    public static readonly StringSetting RestoreFromBucket = new("restoreFromBucket",
        "Bucket holding the source cluster's backups (the source stack's backupBucket output).")
    {
        Rule = ValueRules.BucketName, Placeholder = "<the source stack's backupBucket output>",
        Unset = "default: this stack's backup bucket",
    };

    public static readonly StringSetting RestoreTargetTime = new("restoreTargetTime", "Point in time to recover to.")
    {
        Rule = ValueRules.TimeWithZone, Placeholder = "2026-11-25T10:30:00Z", Unset = "default: the end of the archived WAL",
    };

    public static readonly StringSetting Database = new("database", "Application database, owned by pgha:appUser.")
    {
        Default = "app", Rule = ValueRules.PostgresIdentifier, Placeholder = "<database>",
    };

    public static readonly StringSetting AppUser = new("appUser", "Application role (owner of the database).")
    {
        Default = "app", Rule = ValueRules.AppRole, Placeholder = "<role>",
    };

    public static readonly StringSetting MigrationSourceHost = new("migrationSourceHost",
        "Host of the old single PostgreSQL to migrate from (e.g. its Service DNS name). Setting it turns the one-time migration on.")
    {
        Rule = ValueRules.HostName, Placeholder = "<host, e.g. postgres.old-namespace.svc.cluster.local>",
    };

    public static readonly IntSetting MigrationSourcePort = new("migrationSourcePort", "Port of the old PostgreSQL.", 5432, 1, 65535)
    {
        Reason = "a TCP port",
    };

    public static readonly StringSetting MigrationSourceDatabase = new("migrationSourceDatabase",
        "Database to migrate from the old PostgreSQL.")
    {
        Rule = ValueRules.DatabaseName, DefaultFrom = Database, Placeholder = "<database>",
    };

    public static readonly StringSetting MigrationSourceSecret = new("migrationSourceSecret",
        "Existing Secret (keys username, password) with credentials for the old PostgreSQL.")
    {
        Rule = ValueRules.Dns1123Label(253), Placeholder = "<existing Secret with keys username and password>",
        Unset = "required with pgha:migrationSourceHost",
    };

    public static readonly StringSetting MigrationSourceSslMode = new("migrationSourceSslMode", "libpq sslmode for the old PostgreSQL.")
    {
        Default = "prefer", Rule = ValueRules.OneOf("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    };

    public static readonly BoolSetting MigrationForce = new("migrationForce",
        "true: replace whatever the target database already holds; false: a non-empty target is refused.", false);

    public static readonly StringSetting MigrationScaleDownDeployment = new("migrationScaleDownDeployment",
        "Name of the old PostgreSQL Deployment to scale to zero after a verified migration (reversible: remove the key).")
    {
        Rule = ValueRules.Dns1123Label(253), Placeholder = "<Deployment name>", Unset = "default: none",
    };

    public static readonly StringSetting AppConfig = new("appConfig",
        "An existing app ConfigMap the stack keeps current with the connection values (server-side apply of only those keys; " +
        "its other keys are left alone).")
    {
        Rule = ValueRules.Dns1123Subdomain, Placeholder = "<existing ConfigMap>", Unset = "default: none",
    };

    public static readonly StringSetting AppConfigKeys = new("appConfigKeys",
        $"Key names in the app ConfigMap as field=KEY pairs, fields {string.Join(", ", AppConfigKeyNames.Fields)}; a field not " +
        $"named keeps its default key. Needs {AppConfig.FullName}.")
    {
        Default = AppConfigKeyNames.Default.ToString(),
    };

    public static readonly StringSetting AppNamespace = new("appNamespace",
        $"Namespace of the app ConfigMap and Deployments. Needs {AppConfig.FullName}.")
    {
        Rule = ValueRules.Dns1123Label(63), DefaultFrom = Namespace, Placeholder = "<namespace>",
    };

    public static readonly StringSetting AppRestartDeployments = new("appRestartDeployments",
        "Deployments restarted (pod template annotation, as kubectl rollout restart does) when a managed value changes; nothing " +
        $"restarts otherwise. Needs {AppConfig.FullName}.")
    {
        Rule = ValueRules.CommaSeparated(ValueRules.Dns1123Subdomain), Placeholder = "<deployment>[,<deployment>...]",
        Unset = "default: none",
    };

    public static readonly StringSetting CertManagerIssuer = new("certManagerIssuer",
        "A cert-manager issuer that issues the server certificate (Secret <clusterName>-tls, keys tls.crt, tls.key and ca.crt, so a " +
        "CA-type issuer) instead of the stack's own CA. Needs cert-manager's CRDs in the cluster.")
    {
        Rule = ValueRules.CertManagerIssuer, Placeholder = "ClusterIssuer/<name>",
        Unset = "default: the stack's own CA, made once and kept in its state (stack output caCertificate)",
    };

    public static readonly StringSetting ExistingSuperuserSecret = new("existingSuperuserSecret",
        "Name of an existing Secret (keys username, password) with the superuser credentials.")
    {
        Placeholder = "<existing Secret name>",
    };

    public static readonly StringSetting ExistingReplicationSecret = new("existingReplicationSecret",
        "Name of an existing Secret (keys username, password) with the replication credentials.")
    {
        Placeholder = "<existing Secret name>",
    };

    public static readonly StringSetting ExistingAppSecret = new("existingAppSecret",
        "Name of an existing Secret (keys username, password) with the application credentials.")
    {
        Placeholder = "<existing Secret name>",
    };

    public static readonly SecretSetting SuperuserPassword = new("superuserPassword",
        $"Password of the {Defaults.SuperuserName} superuser.", ExistingSuperuserSecret);

    public static readonly SecretSetting ReplicationPassword = new("replicationPassword",
        $"Password of the {Defaults.ReplicationUserName} role.", ExistingReplicationSecret);

    public static readonly SecretSetting AppPassword = new("appPassword",
        $"Password of the application role ({AppUser.FullName}).", ExistingAppSecret);

    /// <summary>The AWS provider's region, read for the EKS lookup, the KMS key and the backup bucket. Not a pgha key.</summary>
    public static readonly StringSetting AwsRegion = new("region",
        "The AWS provider's region: where the EKS cluster is looked up and the KMS key and the backup bucket are created.", "aws")
    {
        Placeholder = "<region>",
        Unset = "required with pgha:eksClusterName, for the KMS key on eks (unless pgha:kmsKeyArn is set) and for backups on eks",
    };

    /// <summary>Every pgha key, in the order the docs list them: exactly what Pulumi.yaml declares.</summary>
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
        NetworkPolicies, AppPodNamespace, AppPodSelector, MonitoringNamespace,
        Backups, BackupSchedule, BackupRetention, BackupFromReplica, ArchiveTimeoutSeconds,
        BackupBucket, BackupS3Endpoint, BackupS3Region, BackupCredentialsSecret, EksOidcIssuer,
        RestoreFromCluster, RestoreFromNamespace, RestoreFromBucket, RestoreTargetTime,
        MigrationSourceHost, MigrationSourcePort, MigrationSourceDatabase, MigrationSourceSecret, MigrationSourceSslMode,
        MigrationForce, MigrationScaleDownDeployment,
        Database, AppUser,
        AppConfig, AppConfigKeys, AppNamespace, AppRestartDeployments,
        CertManagerIssuer,
        SuperuserPassword, ReplicationPassword, AppPassword,
        ExistingSuperuserSecret, ExistingReplicationSecret, ExistingAppSecret,
    ];

    /// <summary>Every key the program reads, in the docs' order: the pgha keys and the AWS provider's region.</summary>
    public static IReadOnlyList<ConfigKey> Documented { get; } = [.. All, AwsRegion];

    /// <summary>The StorageClass an eks stack creates when pgha:storageClassName is not set.</summary>
    public static string EksStorageClassName(string clusterName) => $"{clusterName}-gp3";
}
