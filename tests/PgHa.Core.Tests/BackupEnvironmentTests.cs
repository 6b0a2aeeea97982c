using System.Text.Json;
using PgHa.Core.Backup;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>What the pods get for WAL-G (Spilo's contract), the archiving parameters and the IAM documents.</summary>
public class BackupEnvironmentTests
{
    private const string KeyArn = "arn:aws:kms:eu-central-1:123456789012:key/k1";
    private const string RoleArn = "arn:aws:iam::123456789012:role/orders-backups";

    private static PgHaSettings Eks(params (string, string?)[] more) => TestConfig.LoadValid(
        [("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true"), ("pgha:clusterName", "orders"), .. more]);

    private static Dictionary<string, PodEnvVar> Env(PgHaSettings settings, string bucket = "orders-backups-1") =>
        WalGEnvironment.Build(settings, new BackupTarget(bucket, settings.Backup!.Storage.IsAwsS3 ? KeyArn : null,
            settings.Backup.Storage.IsAwsS3 ? RoleArn : null)).ToDictionary(v => v.Name);

    [Fact]
    public void Eks_pods_archive_to_their_prefix_with_kms_and_the_schedule()
    {
        var env = Env(Eks(("pgha:backupSchedule", "30 2 * * *"), ("pgha:backupRetention", "14")));
        Assert.Equal("s3://orders-backups-1/team-db/orders/wal/17", env["WALG_S3_PREFIX"].Value);
        Assert.Equal(env["WALG_S3_PREFIX"].Value, env["WALE_S3_PREFIX"].Value);
        Assert.Equal("eu-central-1", env["AWS_REGION"].Value);
        // Spilo's own backup line never fires; ours (the schedule, the election, Spilo's env dir and PGDATA) does.
        Assert.Equal(BackupElection.NeverSchedule, env["BACKUP_SCHEDULE"].Value);
        var crontab = new YamlDotNet.Serialization.Deserializer().Deserialize<List<string>>(env["CRONTAB"].Value!);
        Assert.Equal(
            "30 2 * * * PGHA_BACKUP_FROM=replica envdir \"/run/etc/wal-e.d/env\" python3 /etc/pgha-backup/elect_backup.py \"/home/postgres/pgdata/pgroot/data\"",
            Assert.Single(crontab));
        Assert.Equal("14", env["BACKUP_NUM_TO_RETAIN"].Value);
        Assert.Equal("true", env["WALG_BACKUP_FROM_REPLICA"].Value);
        Assert.Equal(("true", "true"), (env["USE_WALG_BACKUP"].Value, env["USE_WALG_RESTORE"].Value));
        Assert.Equal("aws:kms", env["WALG_S3_SSE"].Value);
        Assert.Equal(KeyArn, env["WALG_S3_SSE_KMS_ID"].Value);
        // IRSA: no keys in the pod, and no clone unless asked.
        Assert.DoesNotContain("AWS_ACCESS_KEY_ID", env.Keys);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("CLONE_", StringComparison.Ordinal));
    }

    [Fact]
    public void Generic_pods_use_the_endpoint_and_take_keys_from_the_secret()
    {
        var settings = TestConfig.LoadValid(("pgha:platform", "generic"), ("pgha:storageClassName", "standard"), ("pgha:backups", "true"),
            ("pgha:backupBucket", "team-backups"), ("pgha:backupS3Endpoint", "http://minio.minio:9000"), ("pgha:backupS3Region", "garage"),
            ("pgha:backupCredentialsSecret", "minio-keys"), ("pgha:backupFromReplica", "false"));
        var env = Env(settings, "team-backups");
        Assert.Equal("http://minio.minio:9000", env["AWS_ENDPOINT"].Value);
        Assert.Equal("true", env["AWS_S3_FORCE_PATH_STYLE"].Value);
        Assert.Equal("garage", env["AWS_REGION"].Value);
        Assert.Equal(new SecretKeyRef("minio-keys", "AWS_ACCESS_KEY_ID"), env["AWS_ACCESS_KEY_ID"].Secret);
        Assert.Equal(new SecretKeyRef("minio-keys", "AWS_SECRET_ACCESS_KEY"), env["AWS_SECRET_ACCESS_KEY"].Secret);
        Assert.Equal("false", env["WALG_BACKUP_FROM_REPLICA"].Value);
        Assert.DoesNotContain("WALG_S3_SSE_KMS_ID", env.Keys);
    }

    [Fact]
    public void A_restore_adds_spilo_clone_variables_for_the_source_prefix_and_target_time()
    {
        var env = Env(Eks(("pgha:clusterName", "orders-copy"), ("pgha:restoreFromCluster", "orders"), ("pgha:restoreFromBucket", "old-bucket"),
            ("pgha:restoreTargetTime", "2026-11-25T10:30:00Z")));
        Assert.Equal("CLONE_WITH_WALE", env["CLONE_METHOD"].Value);
        Assert.Equal("orders", env["CLONE_SCOPE"].Value);
        Assert.Equal("s3://old-bucket/team-db/orders/wal/17", env["CLONE_WALG_S3_PREFIX"].Value);
        Assert.Equal("2026-11-25 10:30:00.000000+00", env["CLONE_TARGET_TIME"].Value);
        Assert.Equal(RoleArn, env["CLONE_AWS_ROLE_ARN"].Value);
        // The new cluster archives into its own prefix, never the source's.
        Assert.Equal("s3://orders-backups-1/team-db/orders-copy/wal/17", env["WALG_S3_PREFIX"].Value);
    }

    [Fact]
    public void Archiving_parameters_are_local_so_they_reach_a_running_cluster()
    {
        var settings = Eks(("pgha:archiveTimeoutSeconds", "120"));
        var parameters = PatroniConfig.Build(settings.Patroni, settings.Backup).Postgresql.Parameters;
        Assert.Equal("on", parameters["archive_mode"].Text);
        Assert.Equal("120s", parameters["archive_timeout"].Text);
        // Spilo supplies its wal-g archive command; ours would override it.
        Assert.DoesNotContain("archive_command", parameters.Keys);
        Assert.Equal("off", PatroniConfig.Build(settings.Patroni).Postgresql.Parameters["archive_mode"].Text);
    }

    [Fact]
    public void The_role_trusts_exactly_this_service_account_through_the_clusters_provider()
    {
        var json = BackupIamPolicies.TrustPolicy("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
            "https://oidc.eks.eu-central-1.amazonaws.com/id/ABC", "team-db", "orders-patroni");
        var statement = JsonDocument.Parse(json).RootElement.GetProperty("Statement")[0];
        Assert.Equal("sts:AssumeRoleWithWebIdentity", statement.GetProperty("Action").GetString());
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
            statement.GetProperty("Principal").GetProperty("Federated").GetString());
        var equals = statement.GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal("system:serviceaccount:team-db:orders-patroni", equals.GetProperty("oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub").GetString());
        Assert.Equal("sts.amazonaws.com", equals.GetProperty("oidc.eks.eu-central-1.amazonaws.com/id/ABC:aud").GetString());
    }

    [Fact]
    public void The_access_policy_allows_what_wal_g_does_under_the_clusters_prefix_only()
    {
        var json = BackupIamPolicies.AccessPolicy(new BucketScope("arn:aws:s3:::b1", "team-db/orders/wal/17"), KeyArn, "eu-central-1", null);
        var statements = JsonDocument.Parse(json).RootElement.GetProperty("Statement").EnumerateArray()
            .ToDictionary(s => s.GetProperty("Sid").GetString()!);
        Assert.Equal(["ListBackups", "ReadWriteBackups", "EncryptBackups"], statements.Keys);
        Assert.Equal(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            statements["ReadWriteBackups"].GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("arn:aws:s3:::b1/team-db/orders/wal/17/*", statements["ReadWriteBackups"].GetProperty("Resource").GetString());
        Assert.Equal(KeyArn, statements["EncryptBackups"].GetProperty("Resource").GetString());
        Assert.DoesNotContain(json, "s3:*", StringComparison.Ordinal);
    }

    [Fact]
    public void A_restore_from_another_bucket_gets_read_only_access_to_it()
    {
        var json = BackupIamPolicies.AccessPolicy(new BucketScope("arn:aws:s3:::b1", "ns/new/wal/17"), KeyArn, "eu-central-1",
            new BucketScope("arn:aws:s3:::old", "ns/orders/wal/17"));
        var statements = JsonDocument.Parse(json).RootElement.GetProperty("Statement").EnumerateArray()
            .ToDictionary(s => s.GetProperty("Sid").GetString()!);
        Assert.Equal("s3:GetObject", Assert.Single(statements["ReadRestoreSource"].GetProperty("Action").EnumerateArray()).GetString());
        Assert.Equal("arn:aws:s3:::old/ns/orders/wal/17/*", statements["ReadRestoreSource"].GetProperty("Resource").GetString());
        Assert.Equal("s3.eu-central-1.amazonaws.com",
            statements["DecryptRestoreSource"].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());
    }

    [Fact]
    public void The_bucket_policy_denies_everything_without_tls()
    {
        var statement = JsonDocument.Parse(BackupIamPolicies.TlsOnlyBucketPolicy("arn:aws:s3:::b1")).RootElement.GetProperty("Statement")[0];
        Assert.Equal("Deny", statement.GetProperty("Effect").GetString());
        Assert.Equal("s3:*", statement.GetProperty("Action").GetString());
        Assert.Equal(["arn:aws:s3:::b1", "arn:aws:s3:::b1/*"], statement.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("false", statement.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    [Fact]
    public void The_bucket_prefix_fits_s3s_limit_for_the_longest_cluster_name()
    {
        Assert.Equal("orders-backups-", BackupLocation.BucketPrefix("orders"));
        var longest = BackupLocation.BucketPrefix(new string('a', 27) + "-" + new string('b', 12));
        Assert.True(longest.Length <= BackupLocation.MaxBucketPrefixLength, longest);
        Assert.Equal(new string('a', 27) + "-backups-", longest);
    }

    [Fact]
    public void A_clusters_policy_scopes_its_own_prefix_and_a_restore_sources_prefix_in_the_same_partition()
    {
        static Dictionary<string, string> Resources(string json) => JsonDocument.Parse(json).RootElement.GetProperty("Statement").EnumerateArray()
            .ToDictionary(s => s.GetProperty("Sid").GetString()!, s => s.GetProperty("Resource").GetString()!);

        var copy = Eks(("pgha:clusterName", "copy"), ("pgha:restoreFromCluster", "orders"));
        var own = Resources(BackupIamPolicies.AccessPolicyFor(copy.Cluster, copy.Postgres.MajorVersion, copy.Backup!, "arn:aws-cn:s3:::b1", KeyArn));
        Assert.Equal("arn:aws-cn:s3:::b1/team-db/copy/wal/17/*", own["ReadWriteBackups"]);
        // Restoring from this stack's own bucket: read access to the source's prefix, no second bucket.
        Assert.Equal("arn:aws-cn:s3:::b1/team-db/orders/wal/17/*", own["ReadRestoreSource"]);
        Assert.DoesNotContain("ListRestoreSource", own.Keys);

        var fromOther = Eks(("pgha:clusterName", "copy"), ("pgha:restoreFromCluster", "orders"), ("pgha:restoreFromBucket", "old-backups"));
        var other = Resources(BackupIamPolicies.AccessPolicyFor(fromOther.Cluster, fromOther.Postgres.MajorVersion, fromOther.Backup!, "arn:aws-cn:s3:::b1", KeyArn));
        Assert.Equal("arn:aws-cn:s3:::old-backups", other["ListRestoreSource"]);
        Assert.Equal("arn:aws-cn:s3:::old-backups/team-db/orders/wal/17/*", other["ReadRestoreSource"]);
    }

    [Fact]
    public void The_backup_election_asks_its_own_patroni_over_https_against_the_mounted_cluster_ca()
    {
        // The REST API serves HTTPS (TlsPod): the election's defaults must be that port over HTTPS and the CA where the pod mounts it.
        Assert.Contains($"'https://localhost:{PatroniConfig.RestApiPort}'", BackupElection.Script, StringComparison.Ordinal);
        Assert.Contains($"'{PgHa.Core.Tls.ClusterTls.CaFile}'", BackupElection.Script, StringComparison.Ordinal);
    }
}
