using PgHa.Core.Backup;
using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>Backup and restore keys: defaults, and every half-done or contradictory combination named with its fix.</summary>
public class BackupSettingsTests
{
    private static readonly (string, string?)[] Eks = [("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true")];

    private static readonly (string, string?)[] Generic =
    [
        ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"), ("pgha:backups", "true"),
        ("pgha:backupBucket", "team-backups"), ("pgha:backupS3Endpoint", "http://minio.minio:9000"), ("pgha:backupS3Region", "garage"),
        ("pgha:backupCredentialsSecret", "minio-keys"),
    ];

    private static (string, string?)[] And(IEnumerable<(string, string?)> basis, params (string, string?)[] more) => [.. basis, .. more];

    [Fact]
    public void Backups_are_off_unless_asked()
    {
        Assert.Null(TestConfig.LoadValid().Backup);
    }

    [Fact]
    public void Two_keys_turn_backups_on_with_nightly_backups_and_five_minute_rpo()
    {
        var backup = TestConfig.LoadValid(Eks).Backup!;
        Assert.Equal("0 1 * * *", backup.Schedule);
        Assert.Equal(7, backup.Retention);
        Assert.True(backup.FromReplica);
        Assert.Equal(300, backup.ArchiveTimeoutSeconds);
        Assert.True(backup.Storage.IsAwsS3);
        Assert.Null(backup.Storage.Bucket);
        Assert.Equal("eu-central-1", backup.Storage.Region);
        Assert.Null(backup.Restore);
    }

    [Fact]
    public void A_backup_key_without_backups_on_is_named()
    {
        var error = TestConfig.SingleError("pgha:backupSchedule", ("pgha:backupSchedule", "0 2 * * *"));
        Assert.Contains("pgha:backups true", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Eks_with_a_kube_context_needs_the_oidc_issuer_for_the_role_trust()
    {
        var error = TestConfig.SingleError("pgha:eksOidcIssuer", ("pgha:backups", "true"));
        Assert.Contains("aws eks describe-cluster", error.Fix, StringComparison.Ordinal);
        var settings = TestConfig.LoadValid(("pgha:backups", "true"), ("pgha:eksOidcIssuer", "https://oidc.eks.eu-central-1.amazonaws.com/id/ABC"));
        Assert.Equal("https://oidc.eks.eu-central-1.amazonaws.com/id/ABC", settings.Backup!.Storage.OidcIssuer);
        TestConfig.SingleError("pgha:eksOidcIssuer", ("pgha:backups", "true"), ("pgha:eksOidcIssuer", "oidc.eks.example/id/1"));
    }

    [Fact]
    public void Generic_needs_bucket_endpoint_region_and_credentials_all_reported_at_once()
    {
        var (settings, errors) = TestConfig.Load(TestConfig.With(
            ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"), ("pgha:backups", "true")));
        Assert.Null(settings);
        Assert.Equal(["pgha:backupBucket", "pgha:backupCredentialsSecret", "pgha:backupS3Endpoint", "pgha:backupS3Region"], errors.Select(e => e.Key).Order());
        // The store's region is the store's: no default stands in for it, the fix asks for it.
        var region = errors.Single(e => e.Key == "pgha:backupS3Region");
        Assert.Equal(("is required.", "pulumi config set pgha:backupS3Region <the store's region>"), (region.Problem, region.Fix));
    }

    [Fact]
    public void Generic_store_settings_are_kept()
    {
        var storage = TestConfig.LoadValid(Generic).Backup!.Storage;
        Assert.False(storage.IsAwsS3);
        Assert.Equal(("team-backups", "http://minio.minio:9000", "minio-keys"), (storage.Bucket, storage.Endpoint, storage.CredentialsSecret));
        Assert.Equal("garage", storage.Region);
        TestConfig.SingleError("pgha:backupS3Region", And(Generic, ("pgha:backupS3Region", "eu west")));
    }

    [Fact]
    public void Generic_store_keys_on_eks_are_refused()
    {
        var error = TestConfig.SingleError("pgha:backupBucket", And(Eks, ("pgha:backupBucket", "mine")));
        Assert.Contains("creates the bucket", error.Problem, StringComparison.Ordinal);
        Assert.Equal("pulumi config rm pgha:backupS3Region", TestConfig.SingleError("pgha:backupS3Region", And(Eks, ("pgha:backupS3Region", "us-east-1"))).Fix);
    }

    [Theory]
    [InlineData("0 1 * *", "5")]
    [InlineData("61 1 * * *", "minute")]
    [InlineData("0 1 * * mon", "day of week")]
    [InlineData("0 5-1 * * *", "backwards")]
    [InlineData("*/0 * * * *", "step")]
    public void A_bad_schedule_names_the_field(string schedule, string expected)
    {
        var error = TestConfig.SingleError("pgha:backupSchedule", And(Eks, ("pgha:backupSchedule", schedule)));
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 1 * * *")]
    [InlineData("*/30 0-6 * * 1,3,5")]
    [InlineData("15 3 1 */2 0")]
    public void Cron_accepts_ordinary_schedules(string schedule) => Assert.Null(CronSchedule.Problem(schedule));

    [Fact]
    public void Retention_below_two_is_refused() => TestConfig.SingleError("pgha:backupRetention", And(Eks, ("pgha:backupRetention", "1")));

    [Fact]
    public void Restore_defaults_to_this_namespace_and_bucket_and_normalises_the_time_to_utc()
    {
        var restore = TestConfig.LoadValid(And(Eks, ("pgha:clusterName", "orders-restored"), ("pgha:restoreFromCluster", "orders"),
            ("pgha:restoreTargetTime", "2026-11-25T11:30:00+01:00"))).Backup!.Restore!;
        Assert.Equal(("orders", "team-db", null), (restore.SourceCluster, restore.SourceNamespace, restore.Bucket));
        Assert.Equal("2026-11-25 10:30:00.000000+00", restore.TargetTime);
    }

    [Fact]
    public void Restoring_a_cluster_onto_itself_is_refused()
    {
        var error = TestConfig.SingleError("pgha:restoreFromCluster", And(Eks, ("pgha:restoreFromCluster", "pg-ha")));
        Assert.Contains("pgha:clusterName", error.Fix, StringComparison.Ordinal);
        // The same name in another namespace is another archive.
        Assert.NotNull(TestConfig.LoadValid(And(Eks, ("pgha:restoreFromCluster", "pg-ha"), ("pgha:restoreFromNamespace", "old-team"))).Backup!.Restore);
    }

    [Theory]
    [InlineData("2026-11-25 10:30")]
    [InlineData("2026-11-25T10:30:00")]
    [InlineData("yesterday")]
    public void A_target_time_without_a_zone_is_refused(string time)
    {
        var error = TestConfig.SingleError("pgha:restoreTargetTime",
            And(Eks, ("pgha:clusterName", "copy"), ("pgha:restoreFromCluster", "pg-ha"), ("pgha:restoreTargetTime", time)));
        Assert.Contains("zone", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_details_without_a_source_are_named()
    {
        TestConfig.SingleError("pgha:restoreTargetTime", And(Eks, ("pgha:restoreTargetTime", "2026-11-25T10:30:00Z")));
    }

    [Fact]
    public void A_restore_without_backups_on_is_named() =>
        TestConfig.SingleError("pgha:restoreFromCluster", ("pgha:restoreFromCluster", "orders"));
}
