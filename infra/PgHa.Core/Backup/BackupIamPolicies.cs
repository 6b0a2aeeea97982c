using System.Text.Json.Nodes;
using PgHa.Core.Settings;

namespace PgHa.Core.Backup;

/// <summary>A bucket and the object-key prefix a role may use in it.</summary>
public sealed record BucketScope(string BucketArn, string KeyPrefix);

/// <summary>
/// The IAM documents of the backup store, as JSON: the IRSA trust (only this namespace's ServiceAccount, only
/// through the cluster's OIDC provider), the least S3/KMS access WAL-G needs, and a TLS-only bucket policy.
/// </summary>
public static class BackupIamPolicies
{
    /// <summary>The issuer as IAM condition keys spell it: the URL without its scheme.</summary>
    public static string IssuerHostPath(string issuerUrl) =>
        issuerUrl.Replace("https://", string.Empty, StringComparison.OrdinalIgnoreCase).TrimEnd('/');

    /// <summary>The ServiceAccount subject EKS puts in the web identity token.</summary>
    public static string ServiceAccountSubject(string ns, string serviceAccount) => $"system:serviceaccount:{ns}:{serviceAccount}";

    public static string TrustPolicy(string oidcProviderArn, string issuerUrl, string ns, string serviceAccount)
    {
        var issuer = IssuerHostPath(issuerUrl);
        return Document(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Federated"] = oidcProviderArn },
            ["Action"] = "sts:AssumeRoleWithWebIdentity",
            ["Condition"] = new JsonObject
            {
                // Exact subject and audience: no other ServiceAccount, and no token minted for another audience.
                ["StringEquals"] = new JsonObject
                {
                    [$"{issuer}:sub"] = ServiceAccountSubject(ns, serviceAccount),
                    [$"{issuer}:aud"] = "sts.amazonaws.com",
                },
            },
        });
    }

    /// <summary>
    /// What WAL-G does: list the bucket, read/write/delete (retention) objects under the cluster's prefix, encrypt
    /// and decrypt with the key. With <paramref name="restoreSource"/> (another cluster's backups), read-only
    /// access to it, and decryption through S3 only (its key is not known here).
    /// </summary>
    public static string AccessPolicy(BucketScope own, string kmsKeyArn, string region, BucketScope? restoreSource)
    {
        var statements = new List<JsonObject>
        {
            Statement("ListBackups", ["s3:ListBucket", "s3:GetBucketLocation"], own.BucketArn),
            Statement("ReadWriteBackups", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], $"{own.BucketArn}/{own.KeyPrefix}/*"),
            Statement("EncryptBackups", ["kms:GenerateDataKey", "kms:Decrypt"], kmsKeyArn),
        };
        if (restoreSource is not null && restoreSource != own)
        {
            if (restoreSource.BucketArn != own.BucketArn)
            {
                statements.Add(Statement("ListRestoreSource", ["s3:ListBucket", "s3:GetBucketLocation"], restoreSource.BucketArn));
                var decrypt = Statement("DecryptRestoreSource", ["kms:Decrypt"], "*");
                decrypt["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject { ["kms:ViaService"] = $"s3.{region}.amazonaws.com" },
                };
                statements.Add(decrypt);
            }

            statements.Add(Statement("ReadRestoreSource", ["s3:GetObject"], $"{restoreSource.BucketArn}/{restoreSource.KeyPrefix}/*"));
        }

        return Document([.. statements]);
    }

    /// <summary>
    /// <see cref="AccessPolicy"/> for a cluster: its own prefix in <paramref name="bucketArn"/>, and with a restore the
    /// source cluster's prefix (in the source bucket, or this one when none is named).
    /// </summary>
    public static string AccessPolicyFor(ClusterIdentity cluster, int major, BackupSettings backup, string bucketArn, string kmsKeyArn)
    {
        var own = new BucketScope(bucketArn, BackupLocation.KeyPrefix(cluster.Namespace, cluster.Name, major));
        var source = backup.Restore is not { } restore ? null : new BucketScope(
            restore.Bucket is { } other ? SiblingBucketArn(bucketArn, other) : bucketArn,
            BackupLocation.KeyPrefix(restore.SourceNamespace, restore.SourceCluster, major));
        return AccessPolicy(own, kmsKeyArn, backup.Storage.Region, source);
    }

    /// <summary>Another bucket's ARN in the same partition (arn:aws, arn:aws-cn, ...).</summary>
    public static string SiblingBucketArn(string bucketArn, string otherBucket) =>
        bucketArn[..(bucketArn.LastIndexOf(':') + 1)] + otherBucket;

    /// <summary>Deny every request to the bucket that does not use TLS.</summary>
    public static string TlsOnlyBucketPolicy(string bucketArn) => Document(new JsonObject
    {
        ["Sid"] = "DenyInsecureTransport",
        ["Effect"] = "Deny",
        ["Principal"] = "*",
        ["Action"] = "s3:*",
        ["Resource"] = new JsonArray(bucketArn, $"{bucketArn}/*"),
        ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
    });

    private static JsonObject Statement(string sid, string[] actions, string resource) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()),
        ["Resource"] = resource,
    };

    private static string Document(params JsonObject[] statements) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(statements.Select(s => (JsonNode)s).ToArray()),
    }.ToJsonString();
}
