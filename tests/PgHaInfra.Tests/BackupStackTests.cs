using System.Collections.Immutable;
using System.Text.Json;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Types.Outputs.Core.V1;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>Backups: the AWS resources on EKS (bucket, block, encryption, policy, IRSA role), the pods' WAL-G env, restore.</summary>
[Collection(PulumiCollection.Name)]
public class BackupStackTests
{
    private static Dictionary<string, string> EksBackups(params (string Key, string? Value)[] more) =>
        ValidConfig([("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true"), .. more]);

    private static ImmutableDictionary<string, object> Map(object value) => (ImmutableDictionary<string, object>)value;

    private static async Task<Dictionary<string, EnvVar>> PostgresEnv(StackRun run) =>
        (await ValueOf(run.Single<StatefulSet>().Spec)).Template.Spec.Containers.Single(c => c.Name == "postgres").Env.ToDictionary(e => e.Name);

    [Fact]
    public async Task Without_backups_there_is_no_bucket_no_walg_and_no_archiving_check()
    {
        var run = await RunAsync(ValidConfig());
        Assert.DoesNotContain(run.Registered, r => r.Type.StartsWith("aws:s3", StringComparison.Ordinal) || r.Type.StartsWith("aws:iam", StringComparison.Ordinal));
        Assert.DoesNotContain("WALG_S3_PREFIX", (await PostgresEnv(run)).Keys);
        Assert.DoesNotContain(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-backup-scripts"));
        Assert.False(run.OfType("pgha:index:ReplicationCheck").Single().Inputs.TryGetValue("expectArchiving", out var expect) && (bool)expect);
        Assert.DoesNotContain("backupBucket", run.Outputs.Keys);
        Assert.DoesNotContain("archiving", (await ValueOf((Pulumi.Output<ImmutableDictionary<string, object>>)run.Outputs["replicationCheck"]!)).Keys);
    }

    [Fact]
    public async Task The_bucket_is_private_kms_encrypted_and_tls_only()
    {
        var run = await RunAsync(EksBackups());
        var bucket = Assert.Single(run.OfType("aws:s3/bucket:Bucket"));
        Assert.Equal("orders-backups-", bucket.Inputs["bucketPrefix"]);
        Assert.False((bool)bucket.Inputs["forceDestroy"]);

        var block = Assert.Single(run.OfType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).Inputs;
        Assert.Equal("orders-backups-id", block["bucket"]);
        Assert.All(new[] { "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets" }, k => Assert.True((bool)block[k]));

        var encryption = Assert.Single(run.OfType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).Inputs;
        var rule = Map(((ImmutableArray<object>)encryption["rules"])[0]);
        var byDefault = Map(rule["applyServerSideEncryptionByDefault"]);
        Assert.Equal("aws:kms", byDefault["sseAlgorithm"]);
        // The cluster's key (the one the StorageClass's volumes use).
        Assert.Equal("arn:aws:kms:eu-central-1:123456789012:key/orders-storage-ebs", byDefault["kmsMasterKeyId"]);

        var policy = JsonDocument.Parse((string)Assert.Single(run.OfType("aws:s3/bucketPolicy:BucketPolicy")).Inputs["policy"]).RootElement;
        var deny = policy.GetProperty("Statement")[0];
        Assert.Equal("Deny", deny.GetProperty("Effect").GetString());
        Assert.Equal("false", deny.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
        Assert.Equal(["arn:aws:s3:::orders-backups-id", "arn:aws:s3:::orders-backups-id/*"],
            deny.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Only_the_clusters_service_account_can_assume_the_role_and_only_for_its_prefix()
    {
        var run = await RunAsync(EksBackups());
        var trust = JsonDocument.Parse((string)Assert.Single(run.OfType("aws:iam/role:Role")).Inputs["assumeRolePolicy"]).RootElement.GetProperty("Statement")[0];
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/PRODCLUSTER",
            trust.GetProperty("Principal").GetProperty("Federated").GetString());
        Assert.Equal("system:serviceaccount:team-db:orders-patroni",
            trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("oidc.eks.eu-central-1.amazonaws.com/id/PRODCLUSTER:sub").GetString());

        var access = JsonDocument.Parse((string)Assert.Single(run.OfType("aws:iam/rolePolicy:RolePolicy")).Inputs["policy"]).RootElement;
        var statements = access.GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        Assert.Equal(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            statements["ReadWriteBackups"].GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("arn:aws:s3:::orders-backups-id/team-db/orders/wal/17/*", statements["ReadWriteBackups"].GetProperty("Resource").GetString());
        Assert.Equal(["kms:GenerateDataKey", "kms:Decrypt"], statements["EncryptBackups"].GetProperty("Action").EnumerateArray().Select(a => a.GetString()));

        var serviceAccount = Assert.Single(run.OfType("kubernetes:core/v1:ServiceAccount"));
        Assert.Equal("arn:aws:iam::123456789012:role/orders-backups",
            Map(Map(serviceAccount.Inputs["metadata"])["annotations"])["eks.amazonaws.com/role-arn"]);
    }

    [Fact]
    public async Task Pods_archive_to_the_buckets_prefix_on_the_configured_schedule_and_the_check_expects_archiving()
    {
        var run = await RunAsync(EksBackups(("pgha:backupSchedule", "15 3 * * *"), ("pgha:backupRetention", "10"), ("pgha:archiveTimeoutSeconds", "120")));
        var env = await PostgresEnv(run);
        Assert.Equal("s3://orders-backups-id/team-db/orders/wal/17", env["WALG_S3_PREFIX"].Value);
        Assert.Equal("eu-central-1", env["AWS_REGION"].Value);
        // The schedule drives our elected backup line; Spilo's own line never fires.
        Assert.StartsWith("[\"15 3 * * * PGHA_BACKUP_FROM=replica ", env["CRONTAB"].Value, StringComparison.Ordinal);
        Assert.Equal("0 0 30 2 *", env["BACKUP_SCHEDULE"].Value);
        var pod = (await ValueOf(run.Single<StatefulSet>().Spec)).Template.Spec;
        Assert.Equal("orders-backup-scripts", pod.Volumes.Single(v => v.Name == "backup-scripts").ConfigMap.Name);
        Assert.Equal("/etc/pgha-backup", pod.Containers.Single(c => c.Name == "postgres").VolumeMounts.Single(m => m.Name == "backup-scripts").MountPath);
        var scripts = Assert.Single(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-backup-scripts"));
        Assert.Contains("os.execvpe(command", (string)Map(scripts.Inputs["data"])["elect_backup.py"], StringComparison.Ordinal);
        Assert.Equal("10", env["BACKUP_NUM_TO_RETAIN"].Value);
        Assert.Equal("true", env["WALG_BACKUP_FROM_REPLICA"].Value);
        Assert.Equal("arn:aws:kms:eu-central-1:123456789012:key/orders-storage-ebs", env["WALG_S3_SSE_KMS_ID"].Value);
        var spiloConfiguration = Assert.Single(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-spilo-configuration"));
        Assert.Contains("archive_timeout: 120s", (string)Map(spiloConfiguration.Inputs["data"])["SPILO_CONFIGURATION"], StringComparison.Ordinal);
        Assert.DoesNotContain("CLONE_METHOD", env.Keys);

        Assert.True((bool)Assert.Single(run.OfType("pgha:index:ReplicationCheck")).Inputs["expectArchiving"]);
        var report = await ValueOf((Pulumi.Output<ImmutableDictionary<string, object>>)run.Outputs["replicationCheck"]!);
        Assert.StartsWith("archived 12", (string)report["archiving"], StringComparison.Ordinal);
        Assert.Equal("orders-backups-id", await ValueOf((Pulumi.Output<string?>)run.Outputs["backupBucket"]!));
        Assert.Equal("s3://orders-backups-id/team-db/orders/wal/17", await ValueOf((Pulumi.Output<string?>)run.Outputs["backupLocation"]!));
    }

    [Fact]
    public async Task A_restore_bootstraps_from_the_source_prefix_at_the_target_time_and_may_read_the_source_bucket()
    {
        var run = await RunAsync(EksBackups(("pgha:restoreFromCluster", "orders-old"), ("pgha:restoreFromBucket", "old-backups"),
            ("pgha:restoreTargetTime", "2026-11-25T10:30:00Z")));
        var env = await PostgresEnv(run);
        Assert.Equal("CLONE_WITH_WALE", env["CLONE_METHOD"].Value);
        Assert.Equal("s3://old-backups/team-db/orders-old/wal/17", env["CLONE_WALG_S3_PREFIX"].Value);
        Assert.Equal("2026-11-25 10:30:00.000000+00", env["CLONE_TARGET_TIME"].Value);
        Assert.Equal("arn:aws:iam::123456789012:role/orders-backups", env["CLONE_AWS_ROLE_ARN"].Value);

        var access = JsonDocument.Parse((string)Assert.Single(run.OfType("aws:iam/rolePolicy:RolePolicy")).Inputs["policy"]).RootElement;
        var read = access.GetProperty("Statement").EnumerateArray().Single(s => s.GetProperty("Sid").GetString() == "ReadRestoreSource");
        Assert.Equal("arn:aws:s3:::old-backups/team-db/orders-old/wal/17/*", read.GetProperty("Resource").GetString());
    }

    [Fact]
    public async Task Generic_backups_create_no_aws_resource_and_take_keys_from_the_secret()
    {
        var config = ValidConfig(("pgha:platform", "generic"), ("pgha:storageClassName", "standard"), ("pgha:backups", "true"),
            ("pgha:backupBucket", "team-backups"), ("pgha:backupS3Endpoint", "http://minio.minio:9000"), ("pgha:backupS3Region", "us-east-1"),
            ("pgha:backupCredentialsSecret", "minio-keys"));
        var run = await RunAsync(config);
        Assert.DoesNotContain(run.Registered, r => r.Type.StartsWith("aws:", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Invokes, i => i.StartsWith("aws:", StringComparison.Ordinal));
        var env = await PostgresEnv(run);
        Assert.Equal("s3://team-backups/team-db/orders/wal/17", env["WALG_S3_PREFIX"].Value);
        Assert.Equal("http://minio.minio:9000", env["AWS_ENDPOINT"].Value);
        Assert.Equal("minio-keys", env["AWS_SECRET_ACCESS_KEY"].ValueFrom.SecretKeyRef.Name);
        var serviceAccount = Assert.Single(run.OfType("kubernetes:core/v1:ServiceAccount"));
        Assert.False(Map(serviceAccount.Inputs["metadata"]).TryGetValue("annotations", out var annotations)
            && Map(annotations).ContainsKey("eks.amazonaws.com/role-arn"));
    }
}
