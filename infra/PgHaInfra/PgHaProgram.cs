using k8s.Autorest;
using k8s.Exceptions;
using PgHa.Operations.Kubernetes;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using PgHa.Infra.Components;
using Pulumi;

namespace PgHa.Infra;

/// <summary>
/// The stack: validate all settings first (nothing is created when any is wrong), pick the target cluster
/// explicitly, read it for the preflight (nothing is created when it finds a problem), build the cluster component,
/// export what apps consume.
/// </summary>
public static class PgHaProgram
{
    /// <summary>The longest the preflight waits for the cluster's API before it gives up (and nothing is created).</summary>
    public static readonly TimeSpan PreflightTimeout = TimeSpan.FromSeconds(120);

    public const string PreflightSkipped = "preflight skipped (pgha:preflight=false)";

    public static Task<IDictionary<string, object?>> RunAsync() => RunAsync(
        (cluster, settings) => ClusterSnapshotReader.ReadAsync(cluster, settings, PreflightTimeout, CancellationToken.None),
        message => Log.Warn(message));

    /// <param name="readCluster">Reads the target cluster for the preflight (the seam the stack tests replace).</param>
    /// <param name="warn">Where warnings go (Pulumi's log).</param>
    internal static async Task<IDictionary<string, object?>> RunAsync(
        Func<KubeconfigTarget, PgHaSettings, Task<ClusterSnapshot>> readCluster, Action<string> warn)
    {
        PgHaSettings settings;
        try
        {
            settings = SettingsLoader.Load(new PulumiStackConfig());
        }
        catch (SettingsValidationException e)
        {
            // RunException: Pulumi prints the message alone, without a stack trace.
            throw new RunException(e.Message);
        }

        // Resolving the target is a lookup (an invoke), not a resource; the preflight runs before the first resource.
        var cluster = await KubernetesProviderFactory.ResolveAsync(settings).ConfigureAwait(false);
        await PreflightAsync(settings, cluster, readCluster, warn).ConfigureAwait(false);

        var config = new PulumiStackConfig();
        var credentials = settings.Credentials;
        var passwords = new RolePasswords(
            credentials.Superuser.PasswordKey is { } superuser ? config.RequireSecret(superuser) : null,
            credentials.Replication.PasswordKey is { } replication ? config.RequireSecret(replication) : null,
            credentials.App.PasswordKey is { } app ? config.RequireSecret(app) : null);

        var connection = KubernetesProviderFactory.Create(settings, cluster);
        var postgres = new PostgresHaCluster(settings.Cluster.Name, new PostgresHaClusterArgs(settings, passwords, connection.Kubeconfig, connection.KubeContext, connection.OidcIssuer),
            new ComponentResourceOptions { Providers = { connection.Provider } });

        var outputs = new Dictionary<string, object?>
        {
            ["writeHost"] = postgres.WriteHost,
            ["readHost"] = postgres.ReadHost,
            ["port"] = postgres.Port,
            ["database"] = postgres.Database,
            ["username"] = postgres.Username,
            ["credentialsSecretName"] = postgres.CredentialsSecretName,
            ["namespace"] = postgres.Namespace,
            ["connectionString"] = postgres.ConnectionString,
            ["readConnectionString"] = postgres.ReadConnectionString,
            ["caCertificate"] = postgres.CaCertificate,
            ["caConfigMapName"] = postgres.CaConfigMapName,
            ["replicationCheck"] = postgres.ReplicationCheck,
        };
        if (settings.Backup is not null)
        {
            outputs["backupBucket"] = postgres.BackupBucket;
            outputs["backupLocation"] = postgres.BackupLocation;
        }

        if (settings.Migration is not null)
        {
            outputs["migrationReport"] = postgres.MigrationReport;
        }

        return outputs;
    }

    /// <summary>
    /// Reads the target cluster (read-only) and stops the run, before anything is created, when it finds a problem:
    /// every problem at once, each with its object, key and fix. Warnings go to the log; pgha:preflight false skips it.
    /// </summary>
    private static async Task PreflightAsync(PgHaSettings settings, ResolvedCluster cluster,
        Func<KubeconfigTarget, PgHaSettings, Task<ClusterSnapshot>> readCluster, Action<string> warn)
    {
        if (!settings.Preflight)
        {
            warn(PreflightSkipped);
            return;
        }

        ClusterSnapshot snapshot;
        try
        {
            snapshot = await readCluster(cluster.Target, settings).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException
            or KubeConfigException or HttpOperationException)
        {
            var reach = cluster.Target.Context is { } context
                ? $"kubectl --context {context} get namespaces"
                : $"aws eks update-kubeconfig --name {settings.Access.EksClusterName} --region {settings.Access.AwsRegion} && kubectl get namespaces";
            throw new RunException(
                $"The preflight could not read the target cluster ({cluster.Target}): {e.Message} Nothing was created." + Environment.NewLine +
                $"Fix: make sure this machine reaches the cluster ({reach}), or skip the preflight: pulumi config set pgha:preflight false");
        }

        var report = PreflightEvaluator.Evaluate(settings, snapshot);
        foreach (var warning in report.Warnings)
        {
            warn($"preflight: {warning}");
        }

        if (!report.Passed)
        {
            throw new RunException(new PreflightFailedException(report.Errors, cluster.Target.Description).Message);
        }
    }
}
