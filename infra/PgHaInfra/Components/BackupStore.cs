using PgHa.Core.Backup;
using PgHa.Core.Naming;
using PgHa.Core.Settings;
using Pulumi;
using Aws = Pulumi.Aws;

namespace PgHa.Infra.Components;

/// <param name="PostgresMajorVersion">Backups are kept per major version (the prefix names it).</param>
/// <param name="KmsKeyArn">The cluster's key (the EBS volumes' key): backups are encrypted with it too.</param>
/// <param name="OidcIssuer">The EKS cluster's OIDC issuer URL, which the role trusts.</param>
public sealed record BackupStoreArgs(
    ClusterIdentity Cluster,
    int PostgresMajorVersion,
    BackupSettings Backup,
    Input<string> KmsKeyArn,
    Input<string> OidcIssuer);

/// <summary>
/// The AWS side of backups: a private bucket (public access blocked, SSE-KMS, TLS only) and an IAM role that only
/// the cluster's ServiceAccount can assume through the EKS OIDC provider (IRSA), allowed exactly what WAL-G does.
/// </summary>
public sealed class BackupStore : ComponentResource
{
    [Output("bucketName")] public Output<string> BucketName { get; }
    [Output("roleArn")] public Output<string> RoleArn { get; }

    public BackupStore(string name, BackupStoreArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:BackupStore", name, options)
    {
        var cluster = args.Cluster;
        // The pods' ServiceAccount (PatroniRbac's), which alone may assume the role.
        var serviceAccount = new ResourceNames(cluster.Name).ServiceAccount;
        var child = ChildOptions.Of(this, options);
        var tags = new InputMap<string> { ["app.kubernetes.io/instance"] = cluster.Name, ["app.kubernetes.io/part-of"] = "pg-ha" };

        var bucketOptions = ChildOptions.Of(this, options);
        bucketOptions.Protect = true;
        // Named by prefix: bucket names are global, and a fixed one could already be taken.
        var bucket = new Aws.S3.Bucket(name, new Aws.S3.BucketArgs
        {
            BucketPrefix = BackupLocation.BucketPrefix(cluster.Name),
            // Backups outlive a mistaken `pulumi destroy`: a bucket with objects is not deleted.
            ForceDestroy = false,
            Tags = tags,
        }, bucketOptions);

        var publicAccessBlock = new Aws.S3.BucketPublicAccessBlock(name, new Aws.S3.BucketPublicAccessBlockArgs
        {
            Bucket = bucket.Id,
            BlockPublicAcls = true,
            BlockPublicPolicy = true,
            IgnorePublicAcls = true,
            RestrictPublicBuckets = true,
        }, child);

        _ = new Aws.S3.BucketServerSideEncryptionConfiguration(name, new Aws.S3.BucketServerSideEncryptionConfigurationArgs
        {
            Bucket = bucket.Id,
            Rules =
            {
                new Aws.S3.Inputs.BucketServerSideEncryptionConfigurationRuleArgs
                {
                    ApplyServerSideEncryptionByDefault = new Aws.S3.Inputs.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
                    {
                        SseAlgorithm = "aws:kms",
                        KmsMasterKeyId = args.KmsKeyArn,
                    },
                    // One data key per bucket instead of one KMS call per WAL segment.
                    BucketKeyEnabled = true,
                },
            },
        }, child);

        // After the public access block: S3 rejects policy changes while the block is being set.
        var policyOptions = ChildOptions.Of(this, options);
        policyOptions.DependsOn.Add(publicAccessBlock);
        _ = new Aws.S3.BucketPolicy(name, new Aws.S3.BucketPolicyArgs
        {
            Bucket = bucket.Id,
            Policy = bucket.Arn.Apply(BackupIamPolicies.TlsOnlyBucketPolicy),
        }, policyOptions);

        var issuer = args.OidcIssuer.ToOutput();
        var provider = Aws.Iam.GetOpenIdConnectProvider.Invoke(new Aws.Iam.GetOpenIdConnectProviderInvokeArgs { Url = issuer },
            new InvokeOptions { Parent = this });
        var role = new Aws.Iam.Role(name, new Aws.Iam.RoleArgs
        {
            Description = $"WAL-G backups of PostgreSQL cluster {cluster.Name} ({cluster.Namespace})",
            AssumeRolePolicy = Output.Tuple(provider, issuer).Apply(t =>
                BackupIamPolicies.TrustPolicy(t.Item1.Arn, t.Item2, cluster.Namespace, serviceAccount)),
            Tags = tags,
        }, child);

        _ = new Aws.Iam.RolePolicy(name, new Aws.Iam.RolePolicyArgs
        {
            Role = role.Name,
            Policy = Output.Tuple(bucket.Arn, args.KmsKeyArn.ToOutput()).Apply(t => BackupIamPolicies.AccessPolicyFor(cluster, args.PostgresMajorVersion, args.Backup, t.Item1, t.Item2)),
        }, child);

        BucketName = bucket.Id.Apply(id => id);
        RoleArn = role.Arn;
        RegisterOutputs(new Dictionary<string, object?> { ["bucketName"] = BucketName, ["roleArn"] = RoleArn });
    }
}
