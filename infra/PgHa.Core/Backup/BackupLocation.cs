using System.Globalization;

namespace PgHa.Core.Backup;

/// <summary>
/// Where a cluster's base backups and WAL live in a bucket: one prefix per namespace, cluster and PostgreSQL
/// major (a physical backup only restores into the same major), so clusters can share a bucket.
/// </summary>
public static class BackupLocation
{
    public static string Prefix(string bucket, string ns, string cluster, int postgresMajor) =>
        string.Create(CultureInfo.InvariantCulture, $"s3://{bucket}/{KeyPrefix(ns, cluster, postgresMajor)}");

    /// <summary>S3 allows a bucket_prefix of at most 37 characters (a unique suffix completes the name).</summary>
    public const int MaxBucketPrefixLength = 37;

    /// <summary>The name prefix of the stack's bucket: <c>&lt;cluster&gt;-backups-</c>, the cluster name cut to fit.</summary>
    public static string BucketPrefix(string cluster)
    {
        const string suffix = "-backups-";
        var name = cluster.Length > MaxBucketPrefixLength - suffix.Length ? cluster[..(MaxBucketPrefixLength - suffix.Length)].TrimEnd('-') : cluster;
        return name + suffix;
    }

    /// <summary>The object-key prefix inside the bucket (what the IAM policy scopes writes to).</summary>
    public static string KeyPrefix(string ns, string cluster, int postgresMajor) =>
        string.Create(CultureInfo.InvariantCulture, $"{ns}/{cluster}/wal/{postgresMajor}");
}
