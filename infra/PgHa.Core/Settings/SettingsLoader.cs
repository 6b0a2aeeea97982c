using System.Globalization;
using System.Text.RegularExpressions;
using PgHa.Core.Backup;

namespace PgHa.Core.Settings;

/// <summary>
/// Reads and validates the whole stack config in one pass. Every problem is collected, so a user fixes
/// them all at once; <see cref="Load"/> throws <see cref="SettingsValidationException"/> listing them.
/// </summary>
public static partial class SettingsLoader
{
    // Kubernetes limits names derived from the cluster name (e.g. "<name>-headless", pod "<name>-2") to 63 characters.
    public const int MaxClusterNameLength = 40;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    // StorageClass names are DNS-1123 subdomains: labels joined by dots.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    // PostgreSQL identifiers the program creates unquoted: lower case so they need no quoting anywhere.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PostgresIdentifier();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KmsKeyArnPattern();

    /// <summary>Validated settings, or an exception listing every problem.</summary>
    public static PgHaSettings Load(IStackConfig config)
    {
        var result = TryLoad(config);
        return result.Settings ?? throw new SettingsValidationException(result.Errors);
    }

    /// <summary>Validated settings (when there is no error) and every problem found.</summary>
    public static (PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) TryLoad(IStackConfig config)
    {
        var r = new ConfigReader(config);

        var name = r.String(ConfigKeys.ClusterName, Defaults.ClusterName, v => Dns1123(v, MaxClusterNameLength));
        var ns = r.RequiredString(ConfigKeys.Namespace, "pulumi config set pgha:namespace <namespace>", v => Dns1123(v, 63));
        var createNamespace = r.Bool(ConfigKeys.CreateNamespace, false);
        var deletionProtection = r.Bool(ConfigKeys.DeletionProtection, true);
        var platform = r.Enum(ConfigKeys.Platform, Platform.Eks);
        var replicas = r.Int(ConfigKeys.Replicas, Defaults.Replicas, 2, 9,
            "at least 2 (one primary, one replica) and at most 9");

        var access = ReadAccess(r, config, platform);
        var postgres = ReadPostgres(r);
        var storage = ReadStorage(r, platform, name);
        var resources = ReadResources(r);
        var scheduling = new SchedulingSettings(
            r.Enum(ConfigKeys.AntiAffinity, AntiAffinityMode.Required),
            r.Enum(ConfigKeys.ZoneSpread, ZoneSpreadMode.Required));
        var patroni = ReadPatroni(r, storage.SizeBytes);
        var credentials = ReadCredentials(r, postgres.AppUser);
        var check = new CheckSettings(
            r.Enum(ConfigKeys.CheckConnectionMode, CheckConnectionMode.PortForward),
            r.Int(ConfigKeys.CheckTimeoutSeconds, Defaults.CheckTimeoutSeconds, 30, 3600, "from 30 to 3600 seconds"));

        var preflight = r.Bool(ConfigKeys.Preflight, Defaults.Preflight);
        var monitoring = new MonitoringSettings(
            r.Bool(ConfigKeys.Monitoring, false),
            r.String(ConfigKeys.RunbookUrl, Defaults.RunbookUrl, v =>
                v.Contains(' ', StringComparison.Ordinal) || v.Contains('#', StringComparison.Ordinal)
                    ? "must be a URL or path without spaces or '#' (each alert appends #<its section>)." : null));

        var migration = ReadMigration(r, postgres.Database);
        var backup = ReadBackup(r, platform, access, name, ns ?? string.Empty);
        var appConfig = ReadAppConfig(r, ns ?? string.Empty);

        if (r.Errors.Count > 0)
        {
            return (null, r.Errors);
        }

        return (new PgHaSettings(
            new ClusterIdentity(name, ns!, createNamespace, platform, replicas, deletionProtection),
            access, postgres, storage, resources, scheduling, patroni, credentials, check, monitoring, migration, backup, appConfig, preflight), r.Errors);
    }

    private static ClusterAccess ReadAccess(ConfigReader r, IStackConfig config, Platform platform)
    {
        var context = r.OptionalString(ConfigKeys.KubeContext);
        var eks = r.OptionalString(ConfigKeys.EksClusterName);
        var region = config.Get(ConfigKeys.AwsRegion);

        if (context is null && eks is null)
        {
            r.Add(ConfigKeys.KubeContext.FullName, null,
                "no cluster chosen: the stack never deploys to whatever kubeconfig context happens to be current.",
                "pulumi config set pgha:kubeContext <context>  (or: pulumi config set pgha:eksClusterName <name>)");
        }
        else if (context is not null && eks is not null)
        {
            r.Add(ConfigKeys.EksClusterName.FullName, eks,
                $"both pgha:kubeContext (\"{context}\") and pgha:eksClusterName are set; the target cluster would be ambiguous.",
                "pulumi config rm pgha:kubeContext  (or: pulumi config rm pgha:eksClusterName)");
        }

        if (eks is not null && platform != Platform.Eks)
        {
            r.Add(ConfigKeys.EksClusterName.FullName, eks, "an EKS cluster needs platform eks.",
                "pulumi config set pgha:platform eks  (or: pulumi config rm pgha:eksClusterName)");
        }

        if (eks is not null && string.IsNullOrWhiteSpace(region))
        {
            r.Add(ConfigKeys.AwsRegion, null, "the EKS cluster lookup and `aws eks get-token` need a region.",
                "pulumi config set aws:region <region, e.g. eu-central-1>");
        }
        else if (platform == Platform.Eks && r.OptionalString(ConfigKeys.KmsKeyArn) is null && string.IsNullOrWhiteSpace(region))
        {
            r.Add(ConfigKeys.AwsRegion, null, "platform eks creates a KMS key for the volumes, in a region.",
                "pulumi config set aws:region <region, e.g. eu-central-1>  (or: pulumi config set pgha:kmsKeyArn <existing key ARN>)");
        }

        return new ClusterAccess(context, eks, string.IsNullOrWhiteSpace(region) ? null : region);
    }

    private static PostgresSettings ReadPostgres(ConfigReader r)
    {
        var version = r.Int(ConfigKeys.PostgresVersion, Defaults.PostgresVersion,
            Defaults.MinPostgresVersion, Defaults.MaxPostgresVersion,
            $"a PostgreSQL major the Spilo image ships ({Defaults.MinPostgresVersion} to {Defaults.MaxPostgresVersion})");
        var image = r.String(ConfigKeys.Image, Defaults.Image, v =>
            v.Contains(' ', StringComparison.Ordinal) || !v.Contains(':', StringComparison.Ordinal) && !v.Contains('@', StringComparison.Ordinal)
                ? "must be an image reference pinned by tag or digest (e.g. ghcr.io/zalando/spilo-17:4.0-p3); an unpinned image changes under you."
                : null);
        var database = r.String(ConfigKeys.Database, Defaults.Database, PostgresName);
        var appUser = r.String(ConfigKeys.AppUser, Defaults.AppUser, v =>
            PostgresName(v) ?? (v is Defaults.SuperuserName or Defaults.ReplicationUserName
                ? $"is reserved for the {(v == Defaults.SuperuserName ? "superuser" : "replication role")}; the app needs its own least-privilege role."
                : null));
        return new PostgresSettings(version, image, database, appUser);
    }

    private static StorageSettings ReadStorage(ConfigReader r, Platform platform, string clusterName)
    {
        var size = r.String(ConfigKeys.StorageSize, Defaults.StorageSize, v =>
            KubernetesQuantity.TryParse(v) is not { } bytes ? "is not a Kubernetes quantity (e.g. 20Gi)."
            : bytes < 1024m * 1024 * 1024 ? "is less than 1Gi; PostgreSQL with WAL needs more."
            : bytes > 64m * 1024 * 1024 * 1024 * 1024 ? "is more than 64Ti, the largest gp3 volume."
            : null);
        var sizeBytes = (long)(KubernetesQuantity.TryParse(size) ?? 0);

        var classDefault = platform == Platform.Eks ? Defaults.StorageClassName(clusterName) : null;
        string? className;
        if (classDefault is null)
        {
            className = r.RequiredString(ConfigKeys.StorageClassName,
                "pulumi config set pgha:storageClassName <existing StorageClass, e.g. standard>", StorageClassNameRule);
        }
        else
        {
            className = r.String(ConfigKeys.StorageClassName, classDefault, StorageClassNameRule);
        }

        var iops = r.Int(ConfigKeys.EbsIops, Defaults.EbsIops, 3000, 80000, "within gp3's 3000 to 80000 IOPS");
        var throughput = r.Int(ConfigKeys.EbsThroughput, Defaults.EbsThroughput, 125, 2000, "within gp3's 125 to 2000 MiB/s");
        var sizeGiB = sizeBytes / (1024L * 1024 * 1024);
        if (iops > 3000 && sizeGiB > 0 && iops > 500 * sizeGiB)
        {
            r.Add(ConfigKeys.EbsIops.FullName, iops.ToString(CultureInfo.InvariantCulture),
                $"gp3 allows at most 500 IOPS per GiB; {size} allows {Math.Max(3000, 500 * sizeGiB)}.",
                $"pulumi config set pgha:ebsIops {Math.Max(3000, 500 * sizeGiB)}  (or a larger pgha:storageSize)");
        }

        if (throughput > 125 && throughput * 4 > iops)
        {
            r.Add(ConfigKeys.EbsThroughput.FullName, throughput.ToString(CultureInfo.InvariantCulture),
                $"gp3 allows at most 0.25 MiB/s per provisioned IOPS; {iops} IOPS allow {Math.Max(125, iops / 4)} MiB/s.",
                $"pulumi config set pgha:ebsIops {throughput * 4}  (or lower pgha:ebsThroughput)");
        }

        var kms = r.OptionalString(ConfigKeys.KmsKeyArn);
        if (kms is not null && !KmsKeyArnPattern().IsMatch(kms))
        {
            r.Add(ConfigKeys.KmsKeyArn.FullName, kms, "is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).",
                "pulumi config set pgha:kmsKeyArn arn:aws:kms:<region>:<account>:key/<id>  (or remove it to let the stack create a key)");
        }

        if (platform == Platform.Generic && kms is not null)
        {
            r.Add(ConfigKeys.KmsKeyArn.FullName, kms, "platform generic creates no AWS resource and cannot use a KMS key.",
                "pulumi config rm pgha:kmsKeyArn  (or: pulumi config set pgha:platform eks)");
        }

        return new StorageSettings(size, sizeBytes, className ?? string.Empty, iops, throughput, kms);
    }

    private static PodResources ReadResources(ConfigReader r)
    {
        var cpuRequest = r.String(ConfigKeys.CpuRequest, Defaults.CpuRequest, Quantity);
        var cpuLimit = r.String(ConfigKeys.CpuLimit, Defaults.CpuLimit, Quantity);
        var memRequest = r.String(ConfigKeys.MemoryRequest, Defaults.MemoryRequest, Quantity);
        var memLimit = r.String(ConfigKeys.MemoryLimit, Defaults.MemoryLimit, Quantity);

        RequestWithinLimit(r, ConfigKeys.CpuRequest, cpuRequest, ConfigKeys.CpuLimit, cpuLimit);
        RequestWithinLimit(r, ConfigKeys.MemoryRequest, memRequest, ConfigKeys.MemoryLimit, memLimit);
        if (KubernetesQuantity.TryParse(memRequest) is { } mem && mem < 256m * 1024 * 1024)
        {
            r.Add(ConfigKeys.MemoryRequest.FullName, memRequest, "is less than 256Mi; PostgreSQL and Patroni do not fit.",
                "pulumi config set pgha:memoryRequest 1Gi");
        }

        return new PodResources(cpuRequest, cpuLimit, memRequest, memLimit);
    }

    private static void RequestWithinLimit(ConfigReader r, ConfigKey requestKey, string request, ConfigKey limitKey, string limit)
    {
        if (KubernetesQuantity.TryParse(request) is { } req && KubernetesQuantity.TryParse(limit) is { } lim && req > lim)
        {
            r.Add(requestKey.FullName, request, $"is more than {limitKey.FullName} ({limit}); Kubernetes rejects a request above its limit.",
                $"pulumi config set {requestKey.FullName} {limit}  (or raise {limitKey.FullName})");
        }
    }

    private static PatroniSettings ReadPatroni(ConfigReader r, long storageBytes)
    {
        var ttl = r.Int(ConfigKeys.PatroniTtl, Defaults.PatroniTtl, 20, 3600, "at least 20 seconds (Patroni's minimum)");
        var loopWait = r.Int(ConfigKeys.PatroniLoopWait, Defaults.PatroniLoopWait, 1, 3600, "at least 1 second");
        var retry = r.Int(ConfigKeys.PatroniRetryTimeout, Defaults.PatroniRetryTimeout, 3, 3600, "at least 3 seconds (Patroni's minimum)");
        if (loopWait + (2 * retry) > ttl)
        {
            r.Add(ConfigKeys.PatroniTtl.FullName, ttl.ToString(CultureInfo.InvariantCulture),
                $"loop_wait + 2*retry_timeout = {loopWait} + 2*{retry} = {loopWait + (2 * retry)} exceeds ttl; a leader could lose its lock while still retrying (Patroni rejects this).",
                $"pulumi config set pgha:patroniTtl {loopWait + (2 * retry)}  (or lower pgha:patroniLoopWait / pgha:patroniRetryTimeout)");
        }

        var sync = r.Enum(ConfigKeys.SynchronousMode, SynchronousMode.Off);
        var maxLag = r.Size(ConfigKeys.MaximumLagOnFailover, Defaults.MaximumLagOnFailover);
        var slotKeep = r.String(ConfigKeys.MaxSlotWalKeepSize, Defaults.MaxSlotWalKeepSize, v =>
            v.Trim() == "-1" ? "is -1 (unlimited): a dead replica's slot would keep WAL until the primary's disk is full."
            : PostgresSize.TryParse(v) is null ? "is not a PostgreSQL size (a whole number with B, kB, MB, GB or TB, e.g. 4GB)."
            : null);
        if (PostgresSize.TryParse(slotKeep) is { } slotBytes && storageBytes > 0 && slotBytes * 2 > storageBytes)
        {
            r.Add(ConfigKeys.MaxSlotWalKeepSize.FullName, slotKeep,
                $"is more than half of the volume ({storageBytes / (1024 * 1024 * 1024)}Gi); retained WAL could still fill the disk.",
                $"pulumi config set pgha:maxSlotWalKeepSize {Math.Max(1, storageBytes / 4 / (1024 * 1024 * 1024))}GB  (or a larger pgha:storageSize)");
        }

        var walKeep = r.String(ConfigKeys.WalKeepSize, Defaults.WalKeepSize, v =>
            PostgresSize.TryParse(v) is null ? "is not a PostgreSQL size (e.g. 512MB)." : null);
        var readinessLag = r.Size(ConfigKeys.ReadinessMaxLag, Defaults.ReadinessMaxLag);
        return new PatroniSettings(ttl, loopWait, retry, sync, maxLag, slotKeep, walKeep, readinessLag);
    }

    private static readonly string[] SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    private static MigrationSettings? ReadMigration(ConfigReader r, string database)
    {
        var host = r.OptionalString(ConfigKeys.MigrationSourceHost);
        var port = r.Int(ConfigKeys.MigrationSourcePort, 5432, 1, 65535, "a TCP port (1 to 65535)");
        var sourceDatabase = r.String(ConfigKeys.MigrationSourceDatabase, database, v =>
            SourceDatabasePattern().IsMatch(v) ? null : "is not a database name (letters, digits, '_' and '-').");
        var sslMode = r.String(ConfigKeys.MigrationSourceSslMode, "prefer", v =>
            SslModes.Contains(v) ? null : $"must be one of: {string.Join(", ", SslModes)}.");
        var force = r.Bool(ConfigKeys.MigrationForce, false);
        var secret = r.OptionalString(ConfigKeys.MigrationSourceSecret);
        var scaleDown = r.OptionalString(ConfigKeys.MigrationScaleDownDeployment);
        if (host is null)
        {
            // Any other migration key without a source is a half-done configuration: say so instead of ignoring it.
            foreach (var key in new[] { ConfigKeys.MigrationSourcePort, ConfigKeys.MigrationSourceDatabase, ConfigKeys.MigrationSourceSecret,
                         ConfigKeys.MigrationSourceSslMode, ConfigKeys.MigrationForce, ConfigKeys.MigrationScaleDownDeployment })
            {
                if (r.OptionalString(key) is { } value)
                {
                    r.Add(key.FullName, value, "is only used by a migration, and pgha:migrationSourceHost is not set.",
                        $"pulumi config set pgha:migrationSourceHost <old PostgreSQL host>  (or: pulumi config rm {key.FullName})");
                }
            }

            return null;
        }

        if (!SourceHostPattern().IsMatch(host))
        {
            r.Add(ConfigKeys.MigrationSourceHost.FullName, host, "is not a host name or IP address.",
                "pulumi config set pgha:migrationSourceHost <host, e.g. postgres.old-namespace.svc.cluster.local>");
        }

        if (secret is null)
        {
            r.Add(ConfigKeys.MigrationSourceSecret.FullName, null, "the migration needs credentials for the old PostgreSQL.",
                "pulumi config set pgha:migrationSourceSecret <existing Secret with keys username and password>");
        }
        else if (Dns1123(secret, 253) is { } problem)
        {
            r.Add(ConfigKeys.MigrationSourceSecret.FullName, secret, problem, "pulumi config set pgha:migrationSourceSecret <existing Secret name>");
        }

        if (scaleDown is not null && Dns1123(scaleDown, 253) is { } badDeployment)
        {
            r.Add(ConfigKeys.MigrationScaleDownDeployment.FullName, scaleDown, badDeployment,
                "pulumi config set pgha:migrationScaleDownDeployment <Deployment name>  (or: pulumi config rm pgha:migrationScaleDownDeployment)");
        }

        return new MigrationSettings(host, port, sourceDatabase, secret ?? string.Empty, sslMode, force, scaleDown);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")]
    private static partial Regex SourceHostPattern();

    // S3 bucket naming rules: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();

    private static readonly ConfigKey[] GenericStoreKeys = [ConfigKeys.BackupBucket, ConfigKeys.BackupS3Endpoint, ConfigKeys.BackupCredentialsSecret];

    private static readonly ConfigKey[] RestoreDetailKeys = [ConfigKeys.RestoreFromNamespace, ConfigKeys.RestoreFromBucket, ConfigKeys.RestoreTargetTime];

    private static BackupSettings? ReadBackup(ConfigReader r, Platform platform, ClusterAccess access, string clusterName, string ns)
    {
        var enabled = r.Bool(ConfigKeys.Backups, false);
        var schedule = r.String(ConfigKeys.BackupSchedule, Defaults.BackupSchedule, CronSchedule.Problem);
        var retention = r.Int(ConfigKeys.BackupRetention, Defaults.BackupRetention, 2, 365, "from 2 to 365 (Spilo keeps at least 2)");
        var fromReplica = r.Bool(ConfigKeys.BackupFromReplica, true);
        var archiveTimeout = r.Int(ConfigKeys.ArchiveTimeoutSeconds, Defaults.ArchiveTimeoutSeconds, 30, 3600, "from 30 to 3600 seconds");
        if (!enabled)
        {
            // A backup or restore key without backups on is a half-done configuration: say so instead of ignoring it.
            foreach (var key in new[] { ConfigKeys.BackupSchedule, ConfigKeys.BackupRetention, ConfigKeys.BackupFromReplica,
                         ConfigKeys.ArchiveTimeoutSeconds, ConfigKeys.EksOidcIssuer, ConfigKeys.RestoreFromCluster }
                         .Concat(GenericStoreKeys).Concat(RestoreDetailKeys))
            {
                if (r.OptionalString(key) is { } value)
                {
                    r.Add(key.FullName, value, "is only used with backups (a restore reads them too), and pgha:backups is not true.",
                        $"pulumi config set pgha:backups true  (or: pulumi config rm {key.FullName})");
                }
            }

            return null;
        }

        var storage = platform == Platform.Eks ? ReadAwsStore(r, access) : ReadGenericStore(r);
        return new BackupSettings(schedule, retention, fromReplica, archiveTimeout, storage, ReadRestore(r, clusterName, ns, storage));
    }

    private static BackupStorage ReadAwsStore(ConfigReader r, ClusterAccess access)
    {
        foreach (var key in GenericStoreKeys)
        {
            if (r.OptionalString(key) is { } value)
            {
                r.Add(key.FullName, value, "is for platform generic; on eks the stack creates the bucket and an IRSA role for the pods.",
                    $"pulumi config rm {key.FullName}");
            }
        }

        if (access.AwsRegion is null)
        {
            r.Add(ConfigKeys.AwsRegion, null, "the backup bucket is created in a region.", "pulumi config set aws:region <region, e.g. eu-central-1>");
        }

        var issuer = r.OptionalString(ConfigKeys.EksOidcIssuer);
        if (access.EksClusterName is not null && issuer is not null)
        {
            r.Add(ConfigKeys.EksOidcIssuer.FullName, issuer, "is looked up from pgha:eksClusterName; two sources could disagree.",
                "pulumi config rm pgha:eksOidcIssuer");
        }
        else if (access.EksClusterName is null && issuer is null)
        {
            r.Add(ConfigKeys.EksOidcIssuer.FullName, null,
                "the backup role trusts the EKS cluster's OIDC provider (IRSA), and with pgha:kubeContext the cluster is not looked up.",
                "pulumi config set pgha:eksOidcIssuer $(aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text)");
        }
        else if (issuer is not null && !(Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            r.Add(ConfigKeys.EksOidcIssuer.FullName, issuer, "is not an https URL (e.g. https://oidc.eks.eu-central-1.amazonaws.com/id/ABC123).",
                "pulumi config set pgha:eksOidcIssuer $(aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text)");
        }

        return new BackupStorage(null, null, null, access.AwsRegion ?? string.Empty, issuer);
    }

    private static BackupStorage ReadGenericStore(ConfigReader r)
    {
        var bucket = r.RequiredString(ConfigKeys.BackupBucket, "pulumi config set pgha:backupBucket <existing bucket>", BucketNameRule);
        var endpoint = r.RequiredString(ConfigKeys.BackupS3Endpoint, "pulumi config set pgha:backupS3Endpoint <URL, e.g. http://minio.minio:9000>",
            v => Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0
                ? null : "is not an http or https URL (e.g. http://minio.minio:9000).");
        var secret = r.RequiredString(ConfigKeys.BackupCredentialsSecret,
            "pulumi config set pgha:backupCredentialsSecret <existing Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY>", v => Dns1123(v, 253));
        if (r.OptionalString(ConfigKeys.EksOidcIssuer) is { } issuer)
        {
            r.Add(ConfigKeys.EksOidcIssuer.FullName, issuer, "is for platform eks (IRSA); generic uses pgha:backupCredentialsSecret.",
                "pulumi config rm pgha:eksOidcIssuer");
        }

        // S3-compatible stores accept any region name; WAL-G needs one.
        return new BackupStorage(bucket ?? string.Empty, endpoint ?? string.Empty, secret ?? string.Empty, "us-east-1", null);
    }

    private static RestoreSettings? ReadRestore(ConfigReader r, string clusterName, string ns, BackupStorage storage)
    {
        var source = r.OptionalString(ConfigKeys.RestoreFromCluster);
        if (source is null)
        {
            foreach (var key in RestoreDetailKeys)
            {
                if (r.OptionalString(key) is { } value)
                {
                    r.Add(key.FullName, value, "is only used by a restore, and pgha:restoreFromCluster is not set.",
                        $"pulumi config set pgha:restoreFromCluster <source cluster name>  (or: pulumi config rm {key.FullName})");
                }
            }

            return null;
        }

        if (Dns1123(source, MaxClusterNameLength) is { } badSource)
        {
            r.Add(ConfigKeys.RestoreFromCluster.FullName, source, badSource, "pulumi config set pgha:restoreFromCluster <the source stack's pgha:clusterName>");
        }

        var sourceNamespace = r.String(ConfigKeys.RestoreFromNamespace, ns, v => Dns1123(v, 63));
        var bucket = r.OptionalString(ConfigKeys.RestoreFromBucket);
        if (bucket is not null && BucketNameRule(bucket) is { } badBucket)
        {
            r.Add(ConfigKeys.RestoreFromBucket.FullName, bucket, badBucket, "pulumi config set pgha:restoreFromBucket <the source stack's backupBucket output>");
        }

        string? target = null;
        if (r.OptionalString(ConfigKeys.RestoreTargetTime) is { } time)
        {
            if (RecoveryTargetTime.TryParse(time) is { } instant)
            {
                target = RecoveryTargetTime.Format(instant);
            }
            else
            {
                r.Add(ConfigKeys.RestoreTargetTime.FullName, time, "is not an RFC 3339 time with a zone; a time without one would be read in the pod's zone.",
                    "pulumi config set pgha:restoreTargetTime 2026-11-25T10:30:00Z  (or remove it to recover to the end of the archived WAL)");
            }
        }

        var sameBucket = bucket is null || bucket == storage.Bucket;
        if (source == clusterName && sourceNamespace == ns && sameBucket)
        {
            r.Add(ConfigKeys.RestoreFromCluster.FullName, source,
                "is this cluster itself: it would restore from, and then archive into, the same WAL archive.",
                "restore into a new cluster: pulumi config set pgha:clusterName <new name>  (the source keeps its own archive)");
        }

        return new RestoreSettings(source, sourceNamespace, bucket, target);
    }

    // ConfigMap keys: letters, digits, '-', '_' and '.'.
    [GeneratedRegex("^[-._a-zA-Z0-9]{1,253}$")]
    private static partial Regex ConfigMapKeyPattern();

    private static AppConfigSettings? ReadAppConfig(ConfigReader r, string ns)
    {
        var configMap = r.OptionalString(ConfigKeys.AppConfig);
        var appNamespace = r.String(ConfigKeys.AppNamespace, ns, v => Dns1123(v, 63));
        var keys = ReadAppConfigKeys(r);
        var restarts = (r.OptionalString(ConfigKeys.AppRestartDeployments) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var deployment in restarts.Where(d => Dns1123Subdomain(d) is not null))
        {
            r.Add(ConfigKeys.AppRestartDeployments.FullName, deployment, Dns1123Subdomain(deployment)!,
                "pulumi config set pgha:appRestartDeployments <deployment>[,<deployment>...]  (e.g. backend)");
        }

        if (configMap is null)
        {
            foreach (var key in new[] { ConfigKeys.AppConfigKeys, ConfigKeys.AppNamespace, ConfigKeys.AppRestartDeployments })
            {
                if (r.OptionalString(key) is { } value)
                {
                    r.Add(key.FullName, value, "is only used with an app ConfigMap, and pgha:appConfig is not set.",
                        $"pulumi config set pgha:appConfig <existing ConfigMap, e.g. ideaforge-ai-config>  (or: pulumi config rm {key.FullName})");
                }
            }

            return null;
        }

        if (Dns1123Subdomain(configMap) is { } badName)
        {
            r.Add(ConfigKeys.AppConfig.FullName, configMap, badName, "pulumi config set pgha:appConfig <existing ConfigMap, e.g. ideaforge-ai-config>");
        }

        return new AppConfigSettings(configMap, appNamespace, keys, restarts.Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>field=KEY pairs over the defaults; every field named once, every key a valid and distinct ConfigMap key.</summary>
    private static AppConfigKeyNames ReadAppConfigKeys(ConfigReader r)
    {
        var text = r.OptionalString(ConfigKeys.AppConfigKeys);
        var fix = $"pulumi config set pgha:appConfigKeys {AppConfigKeyNames.Default}";
        if (text is null)
        {
            return AppConfigKeyNames.Default;
        }

        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !AppConfigKeyNames.Fields.Contains(parts[0]))
            {
                r.Add(ConfigKeys.AppConfigKeys.FullName, text,
                    $"\"{pair}\" is not field=KEY with a field of {string.Join(", ", AppConfigKeyNames.Fields)}.", fix);
                return AppConfigKeyNames.Default;
            }

            if (!ConfigMapKeyPattern().IsMatch(parts[1]) || !chosen.TryAdd(parts[0], parts[1]))
            {
                r.Add(ConfigKeys.AppConfigKeys.FullName, text,
                    $"\"{pair}\": a field is named twice, or \"{parts[1]}\" is not a ConfigMap key (letters, digits, '-', '_', '.').", fix);
                return AppConfigKeyNames.Default;
            }
        }

        var d = AppConfigKeyNames.Default;
        var keys = new AppConfigKeyNames(
            chosen.GetValueOrDefault("host", d.Host), chosen.GetValueOrDefault("readHost", d.ReadHost),
            chosen.GetValueOrDefault("port", d.Port), chosen.GetValueOrDefault("database", d.Database));
        if (new[] { keys.Host, keys.ReadHost, keys.Port, keys.Database }.Distinct(StringComparer.Ordinal).Count() < 4)
        {
            r.Add(ConfigKeys.AppConfigKeys.FullName, text, $"two fields would write the same key ({keys}).", fix);
            return AppConfigKeyNames.Default;
        }

        return keys;
    }

    private static string? Dns1123Subdomain(string value) => StorageClassNameRule(value);

    private static string? BucketNameRule(string value) =>
        BucketNamePattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal) ? null
        : "is not an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-').";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex SourceDatabasePattern();

    private static CredentialSettings ReadCredentials(ConfigReader r, string appUser) => new(
        r.Credential(Defaults.SuperuserName, ConfigKeys.SuperuserPassword, ConfigKeys.ExistingSuperuserSecret),
        r.Credential(Defaults.ReplicationUserName, ConfigKeys.ReplicationPassword, ConfigKeys.ExistingReplicationSecret),
        r.Credential(appUser, ConfigKeys.AppPassword, ConfigKeys.ExistingAppSecret));

    private static string? Dns1123(string value, int maxLength) =>
        value.Length > maxLength ? $"is longer than {maxLength} characters."
        : !Dns1123Label().IsMatch(value) ? "is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)."
        : null;

    private static string? StorageClassNameRule(string value) =>
        value.Length > 253 ? "is longer than 253 characters."
        : !Dns1123Subdomain().IsMatch(value) ? "is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')."
        : null;

    private static string? PostgresName(string value) =>
        PostgresIdentifier().IsMatch(value) ? null
        : "is not a plain PostgreSQL identifier (lower-case letter or '_' first, then lower-case letters, digits or '_', at most 63).";

    private static string? Quantity(string value) =>
        KubernetesQuantity.TryParse(value) is null ? "is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)." : null;
}
