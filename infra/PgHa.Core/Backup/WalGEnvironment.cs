using System.Globalization;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Backup;

/// <summary>What the pods need to reach the backup store, known only once the cloud resources exist.</summary>
/// <param name="Bucket">This cluster's backup bucket.</param>
/// <param name="KmsKeyArn">AWS: the key objects are encrypted with (SSE-KMS); null for an S3-compatible store.</param>
/// <param name="RoleArn">AWS: the IRSA role (the clone bootstrap gets it explicitly); null for an S3-compatible store.</param>
public sealed record BackupTarget(string Bucket, string? KmsKeyArn, string? RoleArn);

/// <summary>
/// Spilo's WAL-G environment contract (zalando/spilo configure_spilo.py): where WAL and base backups go, how to
/// authenticate, when base backups run and how many are kept, and, for a restore, the CLONE_* variables of
/// Spilo's clone-from-backup bootstrap.
/// </summary>
public static class WalGEnvironment
{
    /// <summary>Where EKS's pod identity webhook mounts the ServiceAccount's web identity token.</summary>
    public const string WebIdentityTokenFile = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";

    public const string AccessKeyIdKey = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";

    public static IReadOnlyList<PodEnvVar> Build(PgHaSettings settings, BackupTarget target)
    {
        var backup = settings.Backup ?? throw new ArgumentException("backups are off: there is no WAL-G environment", nameof(settings));
        var storage = backup.Storage;
        var prefix = BackupLocation.Prefix(target.Bucket, settings.Cluster.Namespace, settings.Cluster.Name, settings.Postgres.MajorVersion);
        var env = new List<PodEnvVar>
        {
            // Both names: Spilo derives WALE_S3_PREFIX from a bucket when it is missing; WAL-G reads WALG_S3_PREFIX.
            PodEnvVar.Literal("WALE_S3_PREFIX", prefix),
            PodEnvVar.Literal("WALG_S3_PREFIX", prefix),
            PodEnvVar.Literal("USE_WALG_BACKUP", "true"),
            PodEnvVar.Literal("USE_WALG_RESTORE", "true"),
            PodEnvVar.Literal("AWS_REGION", storage.Region),
            // Spilo's own backup line would run on every replica (or on none): ours elects one member instead.
            PodEnvVar.Literal("BACKUP_SCHEDULE", BackupElection.NeverSchedule),
            PodEnvVar.Literal("CRONTAB", BackupElection.CrontabEnv(backup, SpiloEnvironment.DataDirectory)),
            PodEnvVar.Literal("BACKUP_NUM_TO_RETAIN", backup.Retention.ToString(CultureInfo.InvariantCulture)),
            PodEnvVar.Literal("WALG_BACKUP_FROM_REPLICA", backup.FromReplica ? "true" : "false"),
        };
        env.AddRange(Credentials(storage, target, prefix: string.Empty));
        if (backup.Restore is { } restore)
        {
            env.AddRange(Clone(settings, storage, restore, target));
        }

        return env;
    }

    /// <summary>How WAL-G authenticates and encrypts: IRSA + SSE-KMS on AWS, keys + endpoint elsewhere.</summary>
    private static IEnumerable<PodEnvVar> Credentials(BackupStorage storage, BackupTarget target, string prefix)
    {
        if (storage.IsAwsS3)
        {
            // The role's credentials come from the ServiceAccount annotation (IRSA); objects are encrypted with the key.
            yield return PodEnvVar.Literal(prefix + "WALG_S3_SSE", "aws:kms");
            if (target.KmsKeyArn is { } key)
            {
                yield return PodEnvVar.Literal(prefix + "WALG_S3_SSE_KMS_ID", key);
            }

            yield break;
        }

        yield return PodEnvVar.Literal(prefix + "AWS_ENDPOINT", storage.Endpoint!);
        yield return PodEnvVar.Literal(prefix + "AWS_S3_FORCE_PATH_STYLE", "true");
        yield return PodEnvVar.FromSecret(prefix + AccessKeyIdKey, storage.CredentialsSecret!, AccessKeyIdKey);
        yield return PodEnvVar.FromSecret(prefix + SecretAccessKeyKey, storage.CredentialsSecret!, SecretAccessKeyKey);
    }

    /// <summary>Spilo's CLONE_WITH_WALE bootstrap: fetch the newest base backup before the target, replay WAL to it, promote.</summary>
    private static IEnumerable<PodEnvVar> Clone(PgHaSettings settings, BackupStorage storage, RestoreSettings restore, BackupTarget target)
    {
        const string clone = "CLONE_";
        var sourcePrefix = BackupLocation.Prefix(restore.Bucket ?? target.Bucket, restore.SourceNamespace, restore.SourceCluster,
            settings.Postgres.MajorVersion);
        yield return PodEnvVar.Literal("CLONE_METHOD", "CLONE_WITH_WALE");
        yield return PodEnvVar.Literal("CLONE_SCOPE", restore.SourceCluster);
        yield return PodEnvVar.Literal("CLONE_WALE_S3_PREFIX", sourcePrefix);
        yield return PodEnvVar.Literal("CLONE_WALG_S3_PREFIX", sourcePrefix);
        yield return PodEnvVar.Literal("CLONE_USE_WALG_RESTORE", "true");
        yield return PodEnvVar.Literal("CLONE_AWS_REGION", storage.Region);
        if (restore.TargetTime is { } time)
        {
            yield return PodEnvVar.Literal("CLONE_TARGET_TIME", time);
        }

        if (storage.IsAwsS3)
        {
            // Spilo builds the clone's env dir from CLONE_* names only: hand it the IRSA role explicitly.
            if (target.RoleArn is { } role)
            {
                yield return PodEnvVar.Literal("CLONE_AWS_ROLE_ARN", role);
                yield return PodEnvVar.Literal("CLONE_AWS_WEB_IDENTITY_TOKEN_FILE", WebIdentityTokenFile);
            }

            yield break;
        }

        foreach (var variable in Credentials(storage, target, clone))
        {
            yield return variable;
        }
    }
}
