using PgHa.Core.Settings;
using PgHa.Infra.Components;
using Pulumi;

namespace PgHa.Infra;

/// <summary>
/// The stack: validate all settings first (nothing is created when any is wrong), pick the target cluster
/// explicitly, build the cluster component, export what apps consume.
/// </summary>
public static class PgHaProgram
{
    public static IDictionary<string, object?> Run()
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

        var config = new PulumiStackConfig();
        var credentials = settings.Credentials;
        var passwords = new RolePasswords(
            credentials.Superuser.PasswordKey is { } superuser ? config.RequireSecret(superuser) : null,
            credentials.Replication.PasswordKey is { } replication ? config.RequireSecret(replication) : null,
            credentials.App.PasswordKey is { } app ? config.RequireSecret(app) : null);

        var connection = KubernetesProviderFactory.Create(settings);
        var cluster = new PostgresHaCluster(settings.Cluster.Name, new PostgresHaClusterArgs(settings, passwords, connection.Kubeconfig, connection.KubeContext, connection.OidcIssuer),
            new ComponentResourceOptions { Providers = { connection.Provider } });

        var outputs = new Dictionary<string, object?>
        {
            ["writeHost"] = cluster.WriteHost,
            ["readHost"] = cluster.ReadHost,
            ["port"] = cluster.Port,
            ["database"] = cluster.Database,
            ["username"] = cluster.Username,
            ["credentialsSecretName"] = cluster.CredentialsSecretName,
            ["namespace"] = cluster.Namespace,
            ["connectionString"] = cluster.ConnectionString,
            ["readConnectionString"] = cluster.ReadConnectionString,
            ["replicationCheck"] = cluster.ReplicationReport,
        };
        if (settings.Backup is not null)
        {
            outputs["backupBucket"] = cluster.BackupBucket;
            outputs["backupLocation"] = cluster.BackupLocation;
        }

        if (settings.Migration is not null)
        {
            outputs["migrationReport"] = cluster.MigrationReport;
        }

        return outputs;
    }
}
