using System.Collections.Immutable;
using PgHa.Core.Backup;
using PgHa.Core.DayTwo;
using PgHa.Core.Kubernetes;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Pods;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

/// <param name="Kubeconfig">How the replication check reaches the cluster: the EKS kubeconfig, or null with <paramref name="KubeContext"/>.</param>
/// <param name="OidcIssuer">The EKS cluster's OIDC issuer when it was looked up; else pgha:eksOidcIssuer is used for backups.</param>
public sealed record PostgresHaClusterArgs(PgHaSettings Settings, RolePasswords Passwords, Output<string>? Kubeconfig, string? KubeContext,
    Output<string>? OidcIssuer = null);

/// <summary>
/// The highly available PostgreSQL cluster: storage, credentials, RBAC, Services, the Patroni StatefulSet and the
/// app database, and what apps consume (hosts, port, database, user, Secret name, connection strings).
/// </summary>
public sealed class PostgresHaCluster : ComponentResource
{
    [Output("writeHost")] public Output<string> WriteHost { get; }
    [Output("readHost")] public Output<string> ReadHost { get; }
    [Output("port")] public Output<int> Port { get; }
    [Output("database")] public Output<string> Database { get; }
    [Output("username")] public Output<string> Username { get; }
    [Output("credentialsSecretName")] public Output<string> CredentialsSecretName { get; }
    [Output("namespace")] public Output<string> Namespace { get; }
    [Output("connectionString")] public Output<string> ConnectionString { get; }
    [Output("readConnectionString")] public Output<string> ReadConnectionString { get; }

    /// <summary>The CA (PEM) clients verify the server with (sslmode=verify-full); null when cert-manager issues the certificate.</summary>
    [Output("caCertificate")] public Output<string?> CaCertificate { get; }

    /// <summary>The ConfigMap (key ca.crt) holding the CA in the cluster's namespace; null when cert-manager issues the certificate.</summary>
    [Output("caConfigMapName")] public Output<string?> CaConfigMapName { get; }

    /// <summary>What the post-deploy check found (primary, replicas, slots, timeline, when; with backups the WAL archiving).</summary>
    [Output("replicationCheck")] public Output<ImmutableDictionary<string, object>> ReplicationCheck { get; }

    /// <summary>Where base backups and WAL go (s3://bucket/namespace/cluster/wal/major); null without backups.</summary>
    [Output("backupLocation")] public Output<string?> BackupLocation { get; } = Output.Create((string?)null);

    /// <summary>The bucket holding the backups (what a restoring stack sets as pgha:restoreFromBucket); null without backups.</summary>
    [Output("backupBucket")] public Output<string?> BackupBucket { get; } = Output.Create((string?)null);

    /// <summary>The migration's report (source, tables, rows, durationSeconds, finishedAt); null without a migration.</summary>
    [Output("migrationReport")] public Output<ImmutableDictionary<string, object>?> MigrationReport { get; } = Output.Create((ImmutableDictionary<string, object>?)null);

    public PostgresHaCluster(string name, PostgresHaClusterArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresHaCluster", name, options)
    {
        var settings = args.Settings;
        var cluster = settings.Cluster;
        var names = new ResourceNames(cluster.Name);
        var child = new ComponentResourceOptions { Parent = this };

        var createdNamespace = cluster.CreateNamespace
            ? new Pulumi.Kubernetes.Core.V1.Namespace(name, new NamespaceArgs
            {
                // Pod Security admission refuses any pod in it that breaks the "restricted" profile.
                Metadata = Metadata.For(cluster.Namespace, null, cluster.Name, "namespace", labels: PodSecurityAdmission.NamespaceLabels),
            }, new CustomResourceOptions
            {
                Parent = this,
                Protect = cluster.DeletionProtection,
                // Deleting a namespace deletes its PVCs: whatever happens to the stack, Pulumi never deletes it.
                RetainOnDelete = true,
            })
            : null;

        // A component of the namespace's objects: after the namespace when the stack creates it, and after dependsOn.
        ComponentResourceOptions InNamespace(params Resource[] dependsOn)
        {
            var inNamespace = new ComponentResourceOptions { Parent = this };
            if (createdNamespace is not null)
            {
                inNamespace.DependsOn.Add(createdNamespace);
            }

            inNamespace.DependsOn.Add(dependsOn);
            return inNamespace;
        }

        EbsStorageClass? ebs = null;
        Output<BackupTarget>? backupTarget = null;
        var backup = settings.Backup;
        switch (cluster.Platform)
        {
            case Platform.Eks:
                // The stack's encrypted gp3 class; backups go to the stack's bucket, encrypted with the same key, through IRSA.
                ebs = new EbsStorageClass($"{name}-storage", new EbsStorageClassArgs(cluster, settings.Storage), child);
                if (backup is not null)
                {
                    backupTarget = AwsBackupTarget(name, settings, backup, ebs.KmsKeyArn, args.OidcIssuer);
                }

                break;
            case Platform.Generic:
                // An existing StorageClass; backups go to the configured S3-compatible bucket, reached with the credentials Secret.
                if (backup is not null)
                {
                    backupTarget = Output.Create(new BackupTarget(backup.Storage.Bucket!, null, null));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(args), cluster.Platform, "unknown platform");
        }

        var secrets = new PostgresSecrets($"{name}-secrets", new PostgresSecretsArgs(cluster, settings.Credentials, args.Passwords), InNamespace());
        var secretNames = CredentialSecretNames.For(settings.Credentials, names);

        var rbac = new PatroniRbac($"{name}-rbac", new PatroniRbacArgs(cluster, backupTarget?.Apply(t => t.RoleArn ?? string.Empty)), InNamespace());
        var services = new PostgresServices($"{name}-services", new PostgresServicesArgs(cluster), InNamespace());
        if (settings.NetworkPolicies is { } policies)
        {
            _ = new DatabaseNetworkPolicies($"{name}-network-policies", new DatabaseNetworkPoliciesArgs(
                cluster, policies, settings.Monitoring.Enabled, settings.Backup, settings.Migration), InNamespace());
        }

        var tls = new PostgresTls($"{name}-tls", new PostgresTlsArgs(cluster, settings.CertManagerIssuer), InNamespace());
        var monitoring = settings.Monitoring.Enabled
            ? new PostgresMonitoring($"{name}-monitoring", new PostgresMonitoringArgs(cluster, settings.Patroni, settings.Monitoring), InNamespace())
            : null;

        // What the pods use exists before them: credentials, RBAC, the headless Service, the StorageClass, mounted ConfigMaps.
        var podDependencies = new List<Resource> { secrets, rbac, services, tls };
        if (ebs is not null)
        {
            podDependencies.Add(ebs);
        }

        if (backup is not null)
        {
            podDependencies.Add(new BackupScripts($"{name}-backup-scripts", new BackupScriptsArgs(cluster), InNamespace()).ConfigMap);
        }

        if (monitoring is not null)
        {
            podDependencies.Add(monitoring.ExporterQueries);
        }

        var patroniConfiguration = new PatroniConfigurationMap($"{name}-patroni-configuration",
            new PatroniConfigurationMapArgs(cluster, settings.Patroni, settings.Backup), InNamespace()).ConfigMap;
        podDependencies.Add(patroniConfiguration);

        // The database pod as the features contribute it; with backups, WAL-G's part is known once the backup store is.
        var pod = backupTarget is null
            ? Output.Create(DatabasePod.Layout(settings, secretNames, backupTarget: null))
            : backupTarget.Apply(t => DatabasePod.Layout(settings, secretNames, t));
        var statefulSet = new PostgresStatefulSet($"{name}-statefulset", new PostgresStatefulSetArgs(
            cluster, settings.Storage, settings.Scheduling, settings.Patroni, pod, settings.Backup, MembersCredentialsVersion(settings, secrets),
            tls.CertificateFingerprint),
            InNamespace([.. podDependencies]));
        // On a running cluster, the day-2 rollout brings the members to the applied StatefulSet, ConfigMap and Secrets.
        var rollout = Rollout($"{name}-rollout", args, statefulSet, secrets, [statefulSet.StatefulSet, patroniConfiguration, secrets]);
        // The app role and database, and the monitoring role the check, the exporter and pgha connect as.
        var appDatabase = new AppDatabaseJob($"{name}-app-database", new AppDatabaseJobArgs(cluster, settings.Postgres, secretNames,
            secrets.MonitoringPasswordVersion), InNamespace(statefulSet.StatefulSet, services, secrets));
        // After the rollout, the Services and the monitoring role: re-verified whenever the StatefulSet's spec changes or
        // the rollout ran (a change of settings or passwords alone changes the cluster without touching the StatefulSet).
        var afterRollout = Output.Tuple(statefulSet.StatefulSet.Metadata, rollout.AppliedAt)
            .Apply(t => $"{t.Item1.Uid}/{t.Item1.Generation}/{t.Item2}");
        var check = Check($"{name}-replication-check", args, statefulSet, services, secrets, tls, reportDatabase: null, afterRollout,
            [statefulSet.StatefulSet, services, rollout, appDatabase]);

        // Apps are pointed at the cluster once it is verified, its app database exists, and any migration is done.
        var readyForApps = new List<Resource> { check, appDatabase };
        if (settings.Migration is { } migration)
        {
            // Into the verified cluster's app database; then verified again, replication and the migration's report.
            var move = new DatabaseMigration($"{name}-migration", new DatabaseMigrationArgs(
                cluster, settings.Postgres, settings.Storage, migration, secretNames), InNamespace(check, appDatabase));
            var migrated = Check($"{name}-migration-check", args, statefulSet, services, secrets, tls, settings.Postgres.Database, afterRollout, [move.Job]);
            MigrationReport = migrated.Migration;
            readyForApps.Add(migrated);
        }

        if (settings.AppConfig is { } app)
        {
            _ = new AppConfigSync($"{name}-app-config", new AppConfigSyncArgs(cluster, settings.Postgres.Database, app, tls.CaCertificate),
                new ComponentResourceOptions { Parent = this, DependsOn = readyForApps });
        }

        WriteHost = Output.Create(ResourceNames.ServiceHost(names.ReadWriteService, cluster.Namespace));
        ReadHost = Output.Create(ResourceNames.ServiceHost(names.ReadOnlyService, cluster.Namespace));
        Port = Output.Create(PatroniConfig.PostgresPort);
        Database = Output.Create(settings.Postgres.Database);
        Username = secrets.App.Username;
        CredentialsSecretName = secrets.AppSecretName;
        Namespace = createdNamespace?.Metadata.Apply(m => m.Name) ?? Output.Create(cluster.Namespace);
        ConnectionString = ConnectionStringTo(names.ReadWriteService, secrets.App, settings);
        ReadConnectionString = ConnectionStringTo(names.ReadOnlyService, secrets.App, settings);
        CaCertificate = tls.CaCertificate;
        CaConfigMapName = Output.Create(settings.CertManagerIssuer is null ? names.CaConfigMap : null);

        if (backupTarget is not null)
        {
            BackupBucket = backupTarget.Apply(t => (string?)t.Bucket);
            BackupLocation = backupTarget.Apply(t => (string?)PgHa.Core.Backup.BackupLocation.Prefix(
                t.Bucket, cluster.Namespace, cluster.Name, settings.Postgres.MajorVersion));
        }

        ReplicationCheck = Output.Tuple(check.Primary, check.Replicas, check.SlotNames, check.Timeline, check.CheckedAt, check.Archiving)
            .Apply(r =>
            {
                var report = ImmutableDictionary<string, object>.Empty
                    .Add("primary", r.Item1).Add("replicas", r.Item2).Add("slotNames", r.Item3).Add("timeline", r.Item4).Add("checkedAt", r.Item5);
                // With backups: the primary's WAL archiving as the check found it (counts, last success and failure).
                return r.Item6 is { } archiving ? report.Add("archiving", archiving) : report;
            });

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["replicationCheck"] = ReplicationCheck,
            ["backupLocation"] = BackupLocation,
            ["backupBucket"] = BackupBucket,
            ["migrationReport"] = MigrationReport,
            ["writeHost"] = WriteHost,
            ["readHost"] = ReadHost,
            ["port"] = Port,
            ["database"] = Database,
            ["username"] = Username,
            ["credentialsSecretName"] = CredentialsSecretName,
            ["namespace"] = Namespace,
            ["connectionString"] = ConnectionString,
            ["readConnectionString"] = ReadConnectionString,
            ["caCertificate"] = CaCertificate,
            ["caConfigMapName"] = CaConfigMapName,
        });
    }

    /// <summary>
    /// Where the pods archive on EKS: the stack's bucket (<see cref="BackupStore"/>), encrypted with the cluster's key,
    /// written through the IRSA role the pods' ServiceAccount may assume.
    /// </summary>
    /// <param name="lookedUpIssuer">The EKS cluster's OIDC issuer when it was looked up; else pgha:eksOidcIssuer.</param>
    private Output<BackupTarget> AwsBackupTarget(string name, PgHaSettings settings, BackupSettings backup, Output<string> kmsKeyArn,
        Output<string>? lookedUpIssuer)
    {
        var store = new BackupStore($"{name}-backups", new BackupStoreArgs(settings.Cluster, settings.Postgres.MajorVersion, backup, kmsKeyArn,
            lookedUpIssuer ?? Output.Create(backup.Storage.OidcIssuer!)), new ComponentResourceOptions { Parent = this });
        return Output.Tuple(store.BucketName, kmsKeyArn, store.RoleArn).Apply(t => new BackupTarget(t.Item1, t.Item2, t.Item3));
    }

    /// <summary>A secret libpq URI for the app role to one of the Services, verifying the server (sslmode=verify-full).</summary>
    private static Output<string> ConnectionStringTo(string service, RoleCredentials app, PgHaSettings settings) =>
        Output.CreateSecret(Output.Tuple(app.Username, app.Password).Apply(c => ConnectionStrings.PostgresUri(
            c.Item1, c.Item2, ResourceNames.ServiceHost(service, settings.Cluster.Namespace), PatroniConfig.PostgresPort, settings.Postgres.Database)));

    /// <summary>
    /// The superuser's and the replication role's credentials as a slow, salted hash of their fingerprints (Core's
    /// <see cref="CredentialVersions.MembersVersion"/>), for the pod template: not a secret (guessing a password from it
    /// costs more than from a SCRAM verifier), so the template's diff stays readable.
    /// </summary>
    private static Output<string> MembersCredentialsVersion(PgHaSettings settings, PostgresSecrets secrets) =>
        Output.Unsecret(Output.Tuple(secrets.Superuser.Username, secrets.Superuser.Password, secrets.Replication.Username, secrets.Replication.Password)
            .Apply(c => CredentialVersions.MembersVersion(
                $"{settings.Cluster.Namespace}/{settings.Cluster.Name}",
                CredentialVersions.Fingerprint(CredentialRole.Superuser, c.Item1, c.Item2),
                CredentialVersions.Fingerprint(CredentialRole.Replication, c.Item3, c.Item4))));

    /// <summary>The day-2 rollout of this cluster: what the settings want of a running cluster, and how to reach it.</summary>
    private ClusterRollout Rollout(string resourceName, PostgresHaClusterArgs args, PostgresStatefulSet statefulSet, PostgresSecrets secrets,
        IReadOnlyList<Resource> dependsOn)
    {
        var settings = args.Settings;
        var secretNames = CredentialSecretNames.For(settings.Credentials, new ResourceNames(settings.Cluster.Name));
        var credentials = Output.Tuple(
                Output.Tuple(secrets.Superuser.Username, secrets.Superuser.Password),
                Output.Tuple(secrets.Replication.Username, secrets.Replication.Password),
                Output.Tuple(secrets.App.Username, secrets.App.Password))
            .Apply(c => CredentialVersions.Json([
                (CredentialRole.Superuser, secretNames.Superuser, c.Item1.Item1, c.Item1.Item2),
                (CredentialRole.Replication, secretNames.Replication, c.Item2.Item1, c.Item2.Item2),
                (CredentialRole.App, secretNames.App, c.Item3.Item1, c.Item3.Item2),
            ]));
        var rolloutArgs = new ClusterRolloutArgs
        {
            Namespace = settings.Cluster.Namespace,
            StatefulSetName = statefulSet.StatefulSetName,
            PodTemplateHash = statefulSet.PodTemplateHash,
            PatroniConfiguration = LivePatroniConfiguration.FromSettings(settings.Patroni).ToJson(),
            // Carried here, not by the StatefulSet's claim template (which keeps its created size): claims grow to it in place.
            StorageSize = settings.Storage.Size,
            Replicas = settings.Cluster.Replicas,
            ReadinessMaxLagBytes = settings.Patroni.ReadinessMaxLagBytes,
            // A member gets as long to come back as the replication check keeps trying.
            MemberTimeoutSeconds = Math.Clamp(settings.Check.TimeoutSeconds, 30, 7200),
            CredentialVersions = credentials,
        };
        if (settings.AppConfig is { } app)
        {
            rolloutArgs.AppDeployments = [.. app.RestartDeployments.Select(d => $"{app.Namespace}/{d}")];
        }

        if (args.Kubeconfig is { } kubeconfig)
        {
            rolloutArgs.Kubeconfig = kubeconfig;
        }

        if (args.KubeContext is { } context)
        {
            rolloutArgs.KubeContext = context;
        }

        var options = new CustomResourceOptions { Parent = this };
        foreach (var dependency in dependsOn)
        {
            options.DependsOn.Add(dependency);
        }

        return new ClusterRollout(resourceName, rolloutArgs, options);
    }

    /// <summary>
    /// A ReplicationCheck of this cluster, run again whenever <paramref name="trigger"/> changes; with
    /// <paramref name="reportDatabase"/> it also reads the migration report.
    /// </summary>
    private ReplicationCheck Check(string resourceName, PostgresHaClusterArgs args, PostgresStatefulSet statefulSet, PostgresServices services,
        PostgresSecrets secrets, PostgresTls tls, string? reportDatabase, Output<string> trigger, IReadOnlyList<Resource> dependsOn)
    {
        var settings = args.Settings;
        var checkArgs = new ReplicationCheckArgs
        {
            Namespace = settings.Cluster.Namespace,
            StatefulSetName = statefulSet.StatefulSetName,
            HeadlessServiceName = services.HeadlessServiceName,
            ReadWriteServiceName = services.ReadWriteServiceName,
            ReadOnlyServiceName = services.ReadOnlyServiceName,
            Replicas = settings.Cluster.Replicas,
            MaxLagBytes = settings.Patroni.ReadinessMaxLagBytes,
            TimeoutSeconds = settings.Check.TimeoutSeconds,
            ExpectArchiving = settings.Backup is not null,
            ConnectionMode = settings.Check.ConnectionModeName,
            // The monitoring role's Secret, read by the provider when the check runs: no password in the check's inputs or state.
            CredentialsSecretName = secrets.MonitoringSecretName,
            Trigger = trigger,
        };
        if (args.Kubeconfig is { } kubeconfig)
        {
            checkArgs.Kubeconfig = kubeconfig;
        }

        if (args.KubeContext is { } context)
        {
            checkArgs.KubeContext = context;
        }

        if (reportDatabase is not null)
        {
            checkArgs.ReportDatabase = reportDatabase;
        }

        if (settings.CertManagerIssuer is null)
        {
            // The stack's own CA: the check verifies each member's certificate against it (cert-manager's CA is the issuer's).
            checkArgs.CaCertificate = tls.CaCertificate.Apply(ca => ca ?? string.Empty);
        }

        var options = new CustomResourceOptions { Parent = this };
        foreach (var dependency in dependsOn)
        {
            options.DependsOn.Add(dependency);
        }

        return new ReplicationCheck(resourceName, checkArgs, options);
    }
}
