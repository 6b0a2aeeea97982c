using System.Globalization;
using PgHa.Core.Backup;

namespace PgHa.Core.Settings;

/// <summary>
/// Reads and validates the whole stack config in one pass, through the declarations in <see cref="ConfigKeys"/>
/// (type, default, limits, rule of each key). What involves more than one key, such as loop_wait + 2*retry_timeout
/// &lt;= ttl or a backup key without backups on, is checked here. Every problem is collected, so a user fixes them all
/// at once; <see cref="Load"/> throws <see cref="SettingsValidationException"/> listing them.
/// </summary>
public static class SettingsLoader
{
    // Kubernetes limits names derived from the cluster name (e.g. "<name>-headless", pod "<name>-2") to 63 characters.
    public const int MaxClusterNameLength = 40;

    /// <summary>gp3 provisions at most this many IOPS per GiB of volume.</summary>
    public const int Gp3IopsPerGiB = 500;

    /// <summary>gp3 allows 1 MiB/s of throughput per this many provisioned IOPS.</summary>
    public const int Gp3IopsPerMiBps = 4;

    /// <summary>Validated settings, or an exception listing every problem.</summary>
    public static PgHaSettings Load(IStackConfig config) => OrThrow(TryLoad(config));

    /// <summary>Validated settings (when there is no error) and every problem found.</summary>
    public static (PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) TryLoad(IStackConfig config) =>
        Read(new ConfigReader(config, requireSecrets: true), config);

    /// <summary>
    /// The stack's names (cluster, namespace, Secrets, platform, everything but the secrets' presence), for tools that
    /// read a stack file without its secrets, such as the pgha command. Every other rule applies as in <see cref="Load"/>;
    /// a password that is not set is not an error, and its <see cref="CredentialSource"/> names the password key.
    /// </summary>
    public static PgHaSettings LoadNames(IStackConfig config) => OrThrow(TryLoadNames(config));

    /// <summary>Like <see cref="LoadNames"/>, returning every problem instead of throwing.</summary>
    public static (PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) TryLoadNames(IStackConfig config) =>
        Read(new ConfigReader(config, requireSecrets: false), config);

    private static PgHaSettings OrThrow((PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) result) =>
        result.Settings ?? throw new SettingsValidationException(result.Errors);

    private static (PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) Read(ConfigReader r, IStackConfig config)
    {
        var name = r.String(ConfigKeys.ClusterName);
        var ns = r.Required(ConfigKeys.Namespace);
        var createNamespace = r.Bool(ConfigKeys.CreateNamespace);
        var deletionProtection = r.Bool(ConfigKeys.DeletionProtection);
        var platform = r.Enum(ConfigKeys.Platform);
        var replicas = r.Int(ConfigKeys.Replicas);

        var access = ReadAccess(r, config, platform);
        var postgres = ReadPostgres(r);
        var storage = ReadStorage(r, platform, name);
        var resources = ReadResources(r);
        var scheduling = new SchedulingSettings(r.Enum(ConfigKeys.AntiAffinity), r.Enum(ConfigKeys.ZoneSpread));
        var patroni = ReadPatroni(r, storage.SizeBytes);
        var credentials = ReadCredentials(r, postgres.AppUser);
        var check = new CheckSettings(r.Enum(ConfigKeys.CheckConnectionMode), r.Int(ConfigKeys.CheckTimeoutSeconds));

        var preflight = r.Bool(ConfigKeys.Preflight);
        var monitoring = new MonitoringSettings(r.Bool(ConfigKeys.Monitoring), r.String(ConfigKeys.RunbookUrl));

        var migration = ReadMigration(r, postgres.Database);
        var backup = ReadBackup(r, platform, access, name, ns ?? string.Empty);
        var appConfig = ReadAppConfig(r, ns ?? string.Empty);
        var networkPolicies = ReadNetworkPolicies(r, ns ?? string.Empty);
        var issuer = r.Raw(ConfigKeys.CertManagerIssuer) is { } issuerText && r.Valid(ConfigKeys.CertManagerIssuer, issuerText) is { } validIssuer
            ? new CertManagerIssuerRef(validIssuer.Split('/')[0], validIssuer.Split('/')[1])
            : null;

        if (r.Errors.Count > 0)
        {
            return (null, r.Errors);
        }

        return (new PgHaSettings(
            new ClusterIdentity(name, ns!, createNamespace, platform, replicas, deletionProtection),
            access, postgres, storage, resources, scheduling, patroni, credentials, check, monitoring, migration, backup, appConfig, preflight, networkPolicies, issuer), r.Errors);
    }

    private static ClusterAccess ReadAccess(ConfigReader r, IStackConfig config, Platform platform)
    {
        var contextKey = ConfigKeys.KubeContext;
        var eksKey = ConfigKeys.EksClusterName;
        var regionKey = ConfigKeys.AwsRegion;
        // Checked against the keys' rules (an error each), but still used to tell which cluster was meant.
        var context = r.Raw(contextKey) is { } c ? r.Valid(contextKey, c) ?? c : null;
        var eks = r.Raw(eksKey) is { } e ? r.Valid(eksKey, e) ?? e : null;
        var region = config.Get(regionKey.FullName);
        if (!string.IsNullOrWhiteSpace(region))
        {
            _ = r.Valid(regionKey, region.Trim());
        }

        if (context is null && eks is null)
        {
            r.Add(contextKey, null,
                "no cluster chosen: the stack never deploys to whatever kubeconfig context happens to be current.",
                $"{contextKey.SetCommand(contextKey.Placeholder)}  (or: {eksKey.SetCommand(eksKey.Placeholder)})");
        }
        else if (context is not null && eks is not null)
        {
            r.Add(eksKey, eks,
                $"both {contextKey.FullName} (\"{context}\") and {eksKey.FullName} are set; the target cluster would be ambiguous.",
                $"{contextKey.RemoveCommand}  (or: {eksKey.RemoveCommand})");
        }

        if (eks is not null && platform != Platform.Eks)
        {
            r.Add(eksKey, eks, $"an EKS cluster needs {ConfigKeys.Platform.FullName} {Spelling(Platform.Eks)}.",
                $"{ConfigKeys.Platform.SetCommand(Spelling(Platform.Eks))}  (or: {eksKey.RemoveCommand})");
        }

        if (eks is not null && string.IsNullOrWhiteSpace(region))
        {
            r.Add(regionKey, null, "the EKS cluster lookup and `aws eks get-token` need a region.", regionKey.SetCommand(regionKey.Placeholder));
        }
        else if (platform == Platform.Eks && r.Raw(ConfigKeys.KmsKeyArn) is null && string.IsNullOrWhiteSpace(region))
        {
            r.Add(regionKey, null, $"platform {Spelling(Platform.Eks)} creates a KMS key for the volumes, in a region.",
                $"{regionKey.SetCommand(regionKey.Placeholder)}  (or: {ConfigKeys.KmsKeyArn.SetCommand("<existing key ARN>")})");
        }

        return new ClusterAccess(context, eks, string.IsNullOrWhiteSpace(region) ? null : region);
    }

    private static string Spelling(Platform platform) => EnumSetting<Platform>.Spelling(platform);

    private static PostgresSettings ReadPostgres(ConfigReader r) => new(
        r.Int(ConfigKeys.PostgresVersion),
        r.String(ConfigKeys.Image),
        r.String(ConfigKeys.Database),
        r.String(ConfigKeys.AppUser));

    private static StorageSettings ReadStorage(ConfigReader r, Platform platform, string clusterName)
    {
        var size = r.Quantity(ConfigKeys.StorageSize);
        var sizeBytes = (long)(KubernetesQuantity.TryParse(size) ?? 0);

        // eks: the stack creates the class, named after the cluster unless set; generic: an existing class, so required.
        var className = platform == Platform.Eks
            ? r.String(ConfigKeys.StorageClassName, ConfigKeys.EksStorageClassName(clusterName))
            : r.Required(ConfigKeys.StorageClassName);

        var iopsKey = ConfigKeys.EbsIops;
        var throughputKey = ConfigKeys.EbsThroughput;
        var iops = r.Int(iopsKey);
        var throughput = r.Int(throughputKey);
        var sizeGiB = sizeBytes / (1024L * 1024 * 1024);
        var iopsAllowed = Math.Max(iopsKey.Min, Gp3IopsPerGiB * sizeGiB);
        if (iops > iopsKey.Min && sizeGiB > 0 && iops > Gp3IopsPerGiB * sizeGiB)
        {
            r.Add(iopsKey, iops.ToString(CultureInfo.InvariantCulture),
                $"gp3 allows at most {Gp3IopsPerGiB} IOPS per GiB; {size} allows {iopsAllowed}.",
                $"{iopsKey.SetCommand(iopsAllowed.ToString(CultureInfo.InvariantCulture))}  (or a larger {ConfigKeys.StorageSize.FullName})");
        }

        if (throughput > throughputKey.Min && throughput * Gp3IopsPerMiBps > iops)
        {
            r.Add(throughputKey, throughput.ToString(CultureInfo.InvariantCulture),
                $"gp3 allows at most 1 MiB/s per {Gp3IopsPerMiBps} provisioned IOPS; {iops} IOPS allow {Math.Max(throughputKey.Min, iops / Gp3IopsPerMiBps)} MiB/s.",
                $"{iopsKey.SetCommand((throughput * Gp3IopsPerMiBps).ToString(CultureInfo.InvariantCulture))}  (or lower {throughputKey.FullName})");
        }

        var kmsKey = ConfigKeys.KmsKeyArn;
        var kms = r.Raw(kmsKey);
        if (kms is not null && kmsKey.Problem(kms) is { } badArn)
        {
            r.Add(kmsKey, kms, badArn, $"{kmsKey.SetCommand(kmsKey.Placeholder)}  (or remove it to let the stack create a key)");
        }

        if (platform == Platform.Generic && kms is not null)
        {
            r.Add(kmsKey, kms, $"platform {Spelling(Platform.Generic)} creates no AWS resource and cannot use a KMS key.",
                $"{kmsKey.RemoveCommand}  (or: {ConfigKeys.Platform.SetCommand(Spelling(Platform.Eks))})");
        }

        return new StorageSettings(size, sizeBytes, className ?? string.Empty, iops, throughput, kms);
    }

    private static PodResources ReadResources(ConfigReader r)
    {
        var cpuRequest = r.Quantity(ConfigKeys.CpuRequest);
        var cpuLimit = r.Quantity(ConfigKeys.CpuLimit);
        var memRequest = r.Quantity(ConfigKeys.MemoryRequest);
        var memLimit = r.Quantity(ConfigKeys.MemoryLimit);

        RequestWithinLimit(r, ConfigKeys.CpuRequest, cpuRequest, ConfigKeys.CpuLimit, cpuLimit);
        RequestWithinLimit(r, ConfigKeys.MemoryRequest, memRequest, ConfigKeys.MemoryLimit, memLimit);
        return new PodResources(cpuRequest, cpuLimit, memRequest, memLimit);
    }

    private static void RequestWithinLimit(ConfigReader r, QuantitySetting requestKey, string request, QuantitySetting limitKey, string limit)
    {
        if (KubernetesQuantity.TryParse(request) is { } req && KubernetesQuantity.TryParse(limit) is { } lim && req > lim)
        {
            r.Add(requestKey, request, $"is more than {limitKey.FullName} ({limit}); Kubernetes rejects a request above its limit.",
                $"{requestKey.SetCommand(limit)}  (or raise {limitKey.FullName})");
        }
    }

    private static PatroniSettings ReadPatroni(ConfigReader r, long storageBytes)
    {
        var ttlKey = ConfigKeys.PatroniTtl;
        var ttl = r.Int(ttlKey);
        var loopWait = r.Int(ConfigKeys.PatroniLoopWait);
        var retry = r.Int(ConfigKeys.PatroniRetryTimeout);
        if (loopWait + (2 * retry) > ttl)
        {
            r.Add(ttlKey, ttl.ToString(CultureInfo.InvariantCulture),
                $"loop_wait + 2*retry_timeout = {loopWait} + 2*{retry} = {loopWait + (2 * retry)} exceeds ttl; a leader could lose its lock while still retrying (Patroni rejects this).",
                $"{ttlKey.SetCommand((loopWait + (2 * retry)).ToString(CultureInfo.InvariantCulture))}  (or lower {ConfigKeys.PatroniLoopWait.FullName} / {ConfigKeys.PatroniRetryTimeout.FullName})");
        }

        var sync = r.Enum(ConfigKeys.SynchronousMode);
        var maxLag = PostgresSize.TryParse(r.Size(ConfigKeys.MaximumLagOnFailover))!.Value;
        var slotKey = ConfigKeys.MaxSlotWalKeepSize;
        var slotKeep = r.Size(slotKey);
        if (PostgresSize.TryParse(slotKeep) is { } slotBytes && storageBytes > 0 && slotBytes * 2 > storageBytes)
        {
            r.Add(slotKey, slotKeep,
                $"is more than half of the volume ({storageBytes / (1024 * 1024 * 1024)}Gi); retained WAL could still fill the disk.",
                $"{slotKey.SetCommand($"{Math.Max(1, storageBytes / 4 / (1024 * 1024 * 1024))}GB")}  (or a larger {ConfigKeys.StorageSize.FullName})");
        }

        var walKeep = r.Size(ConfigKeys.WalKeepSize);
        var readinessLag = PostgresSize.TryParse(r.Size(ConfigKeys.ReadinessMaxLag))!.Value;
        return new PatroniSettings(ttl, loopWait, retry, sync, maxLag, slotKeep, walKeep, readinessLag);
    }

    /// <summary>The keys that mean something only with a migration source.</summary>
    private static readonly ConfigKey[] MigrationDetailKeys =
    [
        ConfigKeys.MigrationSourcePort, ConfigKeys.MigrationSourceDatabase, ConfigKeys.MigrationSourceSecret,
        ConfigKeys.MigrationSourceSslMode, ConfigKeys.MigrationForce, ConfigKeys.MigrationScaleDownDeployment,
    ];

    private static MigrationSettings? ReadMigration(ConfigReader r, string database)
    {
        var hostKey = ConfigKeys.MigrationSourceHost;
        var host = r.Raw(hostKey);
        var port = r.Int(ConfigKeys.MigrationSourcePort);
        var sourceDatabase = r.String(ConfigKeys.MigrationSourceDatabase, database);
        var sslMode = r.String(ConfigKeys.MigrationSourceSslMode);
        var force = r.Bool(ConfigKeys.MigrationForce);
        var secretKey = ConfigKeys.MigrationSourceSecret;
        var secret = r.Raw(secretKey);
        var scaleDown = r.Raw(ConfigKeys.MigrationScaleDownDeployment);
        if (host is null)
        {
            // Any other migration key without a source is a half-done configuration: say so instead of ignoring it.
            foreach (var key in MigrationDetailKeys)
            {
                if (r.Raw(key) is { } value)
                {
                    r.Add(key, value, $"is only used by a migration, and {hostKey.FullName} is not set.",
                        $"{hostKey.SetCommand("<old PostgreSQL host>")}  (or: {key.RemoveCommand})");
                }
            }

            return null;
        }

        r.Valid(hostKey, host);
        if (secret is null)
        {
            r.Add(secretKey, null, "the migration needs credentials for the old PostgreSQL.", secretKey.SetCommand(secretKey.Placeholder));
        }
        else
        {
            r.Valid(secretKey, secret);
        }

        if (scaleDown is not null && ConfigKeys.MigrationScaleDownDeployment.Problem(scaleDown) is { } badDeployment)
        {
            r.Add(ConfigKeys.MigrationScaleDownDeployment, scaleDown, badDeployment,
                $"{ConfigKeys.MigrationScaleDownDeployment.SetCommand(ConfigKeys.MigrationScaleDownDeployment.Placeholder)}  (or: {ConfigKeys.MigrationScaleDownDeployment.RemoveCommand})");
        }

        return new MigrationSettings(host, port, sourceDatabase, secret ?? string.Empty, sslMode, force, scaleDown);
    }

    /// <summary>The keys of an S3-compatible store (platform generic).</summary>
    private static readonly StringSetting[] GenericStoreKeys =
        [ConfigKeys.BackupBucket, ConfigKeys.BackupS3Endpoint, ConfigKeys.BackupS3Region, ConfigKeys.BackupCredentialsSecret];

    /// <summary>The keys that mean something only with a restore source.</summary>
    private static readonly ConfigKey[] RestoreDetailKeys = [ConfigKeys.RestoreFromNamespace, ConfigKeys.RestoreFromBucket, ConfigKeys.RestoreTargetTime];

    /// <summary>The keys that mean something only with backups on (a restore reads them too).</summary>
    private static readonly ConfigKey[] BackupDetailKeys =
    [
        ConfigKeys.BackupSchedule, ConfigKeys.BackupRetention, ConfigKeys.BackupFromReplica, ConfigKeys.ArchiveTimeoutSeconds,
        ConfigKeys.EksOidcIssuer, ConfigKeys.RestoreFromCluster, .. GenericStoreKeys, .. RestoreDetailKeys,
    ];

    private static BackupSettings? ReadBackup(ConfigReader r, Platform platform, ClusterAccess access, string clusterName, string ns)
    {
        var backupsKey = ConfigKeys.Backups;
        var enabled = r.Bool(backupsKey);
        var schedule = r.String(ConfigKeys.BackupSchedule);
        var retention = r.Int(ConfigKeys.BackupRetention);
        var fromReplica = r.Bool(ConfigKeys.BackupFromReplica);
        var archiveTimeout = r.Int(ConfigKeys.ArchiveTimeoutSeconds);
        if (!enabled)
        {
            // A backup or restore key without backups on is a half-done configuration: say so instead of ignoring it.
            foreach (var key in BackupDetailKeys)
            {
                if (r.Raw(key) is { } value)
                {
                    r.Add(key, value, $"is only used with backups (a restore reads them too), and {backupsKey.FullName} is not true.",
                        $"{backupsKey.SetCommand(BoolSetting.Spelling(true))}  (or: {key.RemoveCommand})");
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
            if (r.Raw(key) is { } value)
            {
                r.Add(key, value, $"is for platform {Spelling(Platform.Generic)}; on {Spelling(Platform.Eks)} the stack creates the bucket and an IRSA role for the pods.",
                    key.RemoveCommand);
            }
        }

        var regionKey = ConfigKeys.AwsRegion;
        if (access.AwsRegion is null)
        {
            r.Add(regionKey, null, "the backup bucket is created in a region.", regionKey.SetCommand(regionKey.Placeholder));
        }

        var issuerKey = ConfigKeys.EksOidcIssuer;
        var issuer = r.Raw(issuerKey);
        if (access.EksClusterName is not null && issuer is not null)
        {
            r.Add(issuerKey, issuer, $"is looked up from {ConfigKeys.EksClusterName.FullName}; two sources could disagree.", issuerKey.RemoveCommand);
        }
        else if (access.EksClusterName is null && issuer is null)
        {
            r.Add(issuerKey, null,
                $"the backup role trusts the EKS cluster's OIDC provider (IRSA), and with {ConfigKeys.KubeContext.FullName} the cluster is not looked up.",
                issuerKey.SetCommand(issuerKey.Placeholder));
        }
        else if (issuer is not null)
        {
            r.Valid(issuerKey, issuer);
        }

        return new BackupStorage(null, null, null, access.AwsRegion ?? string.Empty, issuer);
    }

    private static BackupStorage ReadGenericStore(ConfigReader r)
    {
        var bucket = r.Required(ConfigKeys.BackupBucket);
        var endpoint = r.Required(ConfigKeys.BackupS3Endpoint);
        var region = r.Required(ConfigKeys.BackupS3Region);
        var secret = r.Required(ConfigKeys.BackupCredentialsSecret);
        var issuerKey = ConfigKeys.EksOidcIssuer;
        if (r.Raw(issuerKey) is { } issuer)
        {
            r.Add(issuerKey, issuer,
                $"is for platform {Spelling(Platform.Eks)} (IRSA); {Spelling(Platform.Generic)} uses {ConfigKeys.BackupCredentialsSecret.FullName}.",
                issuerKey.RemoveCommand);
        }

        return new BackupStorage(bucket ?? string.Empty, endpoint ?? string.Empty, secret ?? string.Empty, region ?? string.Empty, null);
    }

    private static RestoreSettings? ReadRestore(ConfigReader r, string clusterName, string ns, BackupStorage storage)
    {
        var sourceKey = ConfigKeys.RestoreFromCluster;
        var source = r.Raw(sourceKey);
        if (source is null)
        {
            foreach (var key in RestoreDetailKeys)
            {
                if (r.Raw(key) is { } value)
                {
                    r.Add(key, value, $"is only used by a restore, and {sourceKey.FullName} is not set.",
                        $"{sourceKey.SetCommand("<source cluster name>")}  (or: {key.RemoveCommand})");
                }
            }

            return null;
        }

        r.Valid(sourceKey, source);
        var sourceNamespace = r.String(ConfigKeys.RestoreFromNamespace, ns);
        var bucket = r.Raw(ConfigKeys.RestoreFromBucket);
        if (bucket is not null)
        {
            r.Valid(ConfigKeys.RestoreFromBucket, bucket);
        }

        string? target = null;
        var timeKey = ConfigKeys.RestoreTargetTime;
        if (r.Raw(timeKey) is { } time)
        {
            if (RecoveryTargetTime.TryParse(time) is { } instant)
            {
                target = RecoveryTargetTime.Format(instant);
            }
            else
            {
                r.Add(timeKey, time, timeKey.Problem(time)!, $"{timeKey.SetCommand(timeKey.Placeholder)}  (or remove it to recover to the end of the archived WAL)");
            }
        }

        var sameBucket = bucket is null || bucket == storage.Bucket;
        if (source == clusterName && sourceNamespace == ns && sameBucket)
        {
            r.Add(sourceKey, source,
                "is this cluster itself: it would restore from, and then archive into, the same WAL archive.",
                $"restore into a new cluster: {ConfigKeys.ClusterName.SetCommand("<new name>")}  (the source keeps its own archive)");
        }

        return new RestoreSettings(source, sourceNamespace, bucket, target);
    }

    /// <summary>The keys that mean something only with an app ConfigMap.</summary>
    private static readonly ConfigKey[] AppConfigDetailKeys = [ConfigKeys.AppConfigKeys, ConfigKeys.AppNamespace, ConfigKeys.AppRestartDeployments];

    private static NetworkPolicySettings? ReadNetworkPolicies(ConfigReader r, string ns)
    {
        var enabled = r.Bool(ConfigKeys.NetworkPolicies);
        var appNamespace = r.String(ConfigKeys.AppPodNamespace, ns);
        var selector = r.Raw(ConfigKeys.AppPodSelector) is { } text && r.Valid(ConfigKeys.AppPodSelector, text) is { } valid
            ? Kubernetes.LabelSelectorText.Parse(valid)
            : new Dictionary<string, string>();
        var monitoringNamespace = r.String(ConfigKeys.MonitoringNamespace);
        return enabled ? new NetworkPolicySettings(appNamespace, selector, monitoringNamespace) : null;
    }

    private static AppConfigSettings? ReadAppConfig(ConfigReader r, string ns)
    {
        var configMapKey = ConfigKeys.AppConfig;
        var restartsKey = ConfigKeys.AppRestartDeployments;
        var configMap = r.Raw(configMapKey);
        var appNamespace = r.String(ConfigKeys.AppNamespace, ns);
        var keys = ReadAppConfigKeys(r);
        var restarts = (r.Raw(restartsKey) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var deployment in restarts)
        {
            if (restartsKey.Problem(deployment) is { } badDeployment)
            {
                r.Add(restartsKey, deployment, badDeployment, restartsKey.SetCommand(restartsKey.Placeholder));
            }
        }

        if (configMap is null)
        {
            foreach (var key in AppConfigDetailKeys)
            {
                if (r.Raw(key) is { } value)
                {
                    r.Add(key, value, $"is only used with an app ConfigMap, and {configMapKey.FullName} is not set.",
                        $"{configMapKey.SetCommand(configMapKey.Placeholder)}  (or: {key.RemoveCommand})");
                }
            }

            return null;
        }

        r.Valid(configMapKey, configMap);
        return new AppConfigSettings(configMap, appNamespace, keys, restarts.Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>field=KEY pairs over the defaults; every field named once, every key a valid and distinct ConfigMap key.</summary>
    private static AppConfigKeyNames ReadAppConfigKeys(ConfigReader r)
    {
        var key = ConfigKeys.AppConfigKeys;
        var text = r.Raw(key);
        var fix = key.SetCommand(key.Default!);
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
                r.Add(key, text, $"\"{pair}\" is not field=KEY with a field of {string.Join(", ", AppConfigKeyNames.Fields)}.", fix);
                return AppConfigKeyNames.Default;
            }

            if (ValueRules.ConfigMapKey.Problem(parts[1]) is not null || !chosen.TryAdd(parts[0], parts[1]))
            {
                r.Add(key, text, $"\"{pair}\": a field is named twice, or \"{parts[1]}\" is not a ConfigMap key (letters, digits, '-', '_', '.').", fix);
                return AppConfigKeyNames.Default;
            }
        }

        var d = AppConfigKeyNames.Default;
        var keys = new AppConfigKeyNames(
            chosen.GetValueOrDefault("host", d.Host), chosen.GetValueOrDefault("readHost", d.ReadHost),
            chosen.GetValueOrDefault("port", d.Port), chosen.GetValueOrDefault("database", d.Database),
            chosen.GetValueOrDefault("sslMode", d.SslMode), chosen.GetValueOrDefault("caCertificate", d.CaCertificate));
        if (keys.All.Distinct(StringComparer.Ordinal).Count() < keys.All.Count)
        {
            r.Add(key, text, $"two fields would write the same key ({keys}).", fix);
            return AppConfigKeyNames.Default;
        }

        return keys;
    }

    private static CredentialSettings ReadCredentials(ConfigReader r, string appUser) => new(
        r.Credential(Defaults.SuperuserName, ConfigKeys.SuperuserPassword),
        r.Credential(Defaults.ReplicationUserName, ConfigKeys.ReplicationPassword),
        r.Credential(appUser, ConfigKeys.AppPassword));
}
