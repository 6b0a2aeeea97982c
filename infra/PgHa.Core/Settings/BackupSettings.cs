namespace PgHa.Core.Settings;

/// <summary>
/// Backups with WAL-G (null when pgha:backups is off): continuous WAL archiving, scheduled base backups and,
/// optionally, the restore this cluster bootstraps from.
/// </summary>
/// <param name="Schedule">5-field cron expression (UTC) for base backups.</param>
/// <param name="Retention">Base backups kept (Spilo's job also keeps this many days).</param>
/// <param name="ArchiveTimeoutSeconds">Bounds how long committed WAL waits before it is archived (the RPO of a total loss).</param>
/// <param name="Storage">Where backups go: the stack's own bucket on EKS, an existing S3-compatible bucket elsewhere.</param>
public sealed record BackupSettings(
    string Schedule,
    int Retention,
    bool FromReplica,
    int ArchiveTimeoutSeconds,
    BackupStorage Storage,
    RestoreSettings? Restore);

/// <summary>
/// The object store. <see cref="Bucket"/> is null on EKS (the stack creates it); <see cref="Endpoint"/> and
/// <see cref="CredentialsSecret"/> are set only for an S3-compatible store on a generic cluster.
/// </summary>
public sealed record BackupStorage(string? Bucket, string? Endpoint, string? CredentialsSecret, string Region, string? OidcIssuer)
{
    /// <summary>AWS S3 with IRSA (the stack's bucket), as opposed to an S3-compatible endpoint with keys.</summary>
    public bool IsAwsS3 => Endpoint is null;
}

/// <summary>
/// Bootstrap from another cluster's backups ("clone to a point in time"). <see cref="TargetTime"/> null means the
/// end of the archived WAL; otherwise it is normalised to UTC in a form PostgreSQL and Spilo both parse.
/// </summary>
/// <param name="Bucket">The source bucket, or null for this stack's own bucket.</param>
public sealed record RestoreSettings(string SourceCluster, string SourceNamespace, string? Bucket, string? TargetTime);
