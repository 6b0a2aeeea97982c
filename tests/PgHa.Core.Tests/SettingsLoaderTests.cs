using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

public class SettingsLoaderTests
{
    [Fact]
    public void Minimal_config_gets_the_documented_defaults()
    {
        var s = TestConfig.LoadValid();
        Assert.Equal("pg-ha", s.Cluster.Name);
        Assert.Equal(3, s.Cluster.Replicas);
        Assert.Equal(Platform.Eks, s.Cluster.Platform);
        Assert.False(s.Cluster.CreateNamespace);
        Assert.Equal("20Gi", s.Storage.Size);
        Assert.Equal("pg-ha-gp3", s.Storage.StorageClassName);
        Assert.Equal(17, s.Postgres.MajorVersion);
        Assert.Equal(ConfigKeys.Image.Default, s.Postgres.Image);
        // Generic: an app's own names are set in its stack file.
        Assert.Equal("app", s.Postgres.Database);
        Assert.Equal("app", s.Postgres.AppUser);
        Assert.Equal(AntiAffinityMode.Required, s.Scheduling.AntiAffinity);
        Assert.Equal(ZoneSpreadMode.Required, s.Scheduling.ZoneSpread);
        Assert.Equal((20, 5, 7), (s.Patroni.Ttl, s.Patroni.LoopWait, s.Patroni.RetryTimeout));
        Assert.Equal(SynchronousMode.Off, s.Patroni.SynchronousMode);
        Assert.Equal("4GB", s.Patroni.MaxSlotWalKeepSize);
        Assert.Equal(16L * 1024 * 1024, s.Patroni.ReadinessMaxLagBytes);
        Assert.Equal("replicator", s.Credentials.Replication.Username);
        Assert.Equal("postgres", s.Credentials.Superuser.Username);
        Assert.Equal("app", s.Credentials.App.Username);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (settings, errors) = TestConfig.Load(TestConfig.With(
            ("pgha:clusterName", "Bad_Name"),
            ("pgha:replicas", "1"),
            ("pgha:cpuRequest", "lots"),
            ("pgha:patroniTtl", "10"),
            ("pgha:appPassword", null)));
        Assert.Null(settings);
        Assert.Equal(
            ["pgha:appPassword", "pgha:clusterName", "pgha:cpuRequest", "pgha:patroniTtl", "pgha:replicas"],
            errors.Select(e => e.Key).Order().ToArray());
    }

    [Fact]
    public void Load_throws_one_exception_listing_every_problem()
    {
        var config = new DictionaryStackConfig(TestConfig.With(("pgha:replicas", "1"), ("pgha:namespace", null)));
        var e = Assert.Throws<SettingsValidationException>(() => SettingsLoader.Load(config));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("pgha:replicas = \"1\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("pgha:namespace = (not set)", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was created", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("under_score")]
    [InlineData("a-name-that-is-far-too-long-for-the-cluster-prefix")]
    public void Cluster_name_must_be_a_short_dns_label(string name)
    {
        var error = TestConfig.SingleError("pgha:clusterName", ("pgha:clusterName", name));
        Assert.Equal(name, error.Value);
        Assert.Contains("pulumi config set pgha:clusterName", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders-db")]
    [InlineData("pg1")]
    public void Valid_cluster_names_are_accepted(string name) =>
        Assert.Equal(name, TestConfig.LoadValid(("pgha:clusterName", name)).Cluster.Name);

    [Fact]
    public void Namespace_is_required_and_must_be_a_dns_label()
    {
        Assert.Contains("is required", TestConfig.SingleError("pgha:namespace", ("pgha:namespace", null)).Problem, StringComparison.Ordinal);
        TestConfig.SingleError("pgha:namespace", ("pgha:namespace", "Team.DB"));
        Assert.Equal("20890-ideaforge-ai-dev-58a50",
            TestConfig.LoadValid(("pgha:namespace", "20890-ideaforge-ai-dev-58a50")).Cluster.Namespace);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("10")]
    [InlineData("three")]
    public void Replicas_must_be_between_2_and_9(string value) =>
        TestConfig.SingleError("pgha:replicas", ("pgha:replicas", value));

    [Fact]
    public void Two_replicas_are_enough() => Assert.Equal(2, TestConfig.LoadValid(("pgha:replicas", "2")).Cluster.Replicas);

    [Theory]
    [InlineData("12")]
    [InlineData("18")]
    public void Postgres_version_must_be_one_the_image_ships(string value) =>
        TestConfig.SingleError("pgha:postgresVersion", ("pgha:postgresVersion", value));

    [Fact]
    public void Postgres_15_is_accepted() => Assert.Equal(15, TestConfig.LoadValid(("pgha:postgresVersion", "15")).Postgres.MajorVersion);

    [Theory]
    [InlineData("ghcr.io/zalando/spilo-17")]
    [InlineData("spilo 17")]
    public void Image_must_be_pinned(string value) => TestConfig.SingleError("pgha:image", ("pgha:image", value));

    [Fact]
    public void Image_pinned_by_digest_is_accepted() =>
        Assert.Equal("ghcr.io/zalando/spilo-17@sha256:abc", TestConfig.LoadValid(("pgha:image", "ghcr.io/zalando/spilo-17@sha256:abc")).Postgres.Image);

    [Theory]
    [InlineData("20GB")]
    [InlineData("512Mi")]
    [InlineData("100Ti")]
    public void Storage_size_must_be_a_sensible_quantity(string value) =>
        TestConfig.SingleError("pgha:storageSize", ("pgha:storageSize", value));

    [Fact]
    public void Storage_size_is_kept_with_its_bytes()
    {
        var s = TestConfig.LoadValid(("pgha:storageSize", "100Gi"));
        Assert.Equal("100Gi", s.Storage.Size);
        Assert.Equal(100L * 1024 * 1024 * 1024, s.Storage.SizeBytes);
    }

    [Theory]
    [InlineData("2999")]
    [InlineData("80001")]
    public void Ebs_iops_must_be_within_gp3_range(string value) => TestConfig.SingleError("pgha:ebsIops", ("pgha:ebsIops", value));

    [Fact]
    public void Ebs_iops_are_limited_to_500_per_GiB()
    {
        var error = TestConfig.SingleError("pgha:ebsIops", ("pgha:ebsIops", "16000"));
        Assert.Contains("10000", error.Fix, StringComparison.Ordinal);
        Assert.Equal(16000, TestConfig.LoadValid(("pgha:ebsIops", "16000"), ("pgha:storageSize", "32Gi")).Storage.EbsIops);
    }

    [Theory]
    [InlineData("124")]
    [InlineData("2001")]
    public void Ebs_throughput_must_be_within_gp3_range(string value) =>
        TestConfig.SingleError("pgha:ebsThroughput", ("pgha:ebsThroughput", value));

    [Fact]
    public void Ebs_throughput_is_limited_by_iops()
    {
        TestConfig.SingleError("pgha:ebsThroughput", ("pgha:ebsThroughput", "1000"));
        Assert.Equal(750, TestConfig.LoadValid(("pgha:ebsThroughput", "750")).Storage.EbsThroughputMiBps);
    }

    [Fact]
    public void Kms_key_arn_must_be_an_arn_and_only_on_eks()
    {
        TestConfig.SingleError("pgha:kmsKeyArn", ("pgha:kmsKeyArn", "my-key"));
        const string arn = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        Assert.Equal(arn, TestConfig.LoadValid(("pgha:kmsKeyArn", arn)).Storage.KmsKeyArn);
        TestConfig.SingleError("pgha:kmsKeyArn", ("pgha:kmsKeyArn", arn), ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"));
    }

    [Fact]
    public void Generic_platform_needs_an_existing_storage_class()
    {
        var error = TestConfig.SingleError("pgha:storageClassName", ("pgha:platform", "generic"));
        Assert.Contains("pulumi config set pgha:storageClassName", error.Fix, StringComparison.Ordinal);
        var s = TestConfig.LoadValid(("pgha:platform", "generic"), ("pgha:storageClassName", "standard"));
        Assert.Equal(Platform.Generic, s.Cluster.Platform);
        Assert.Equal("standard", s.Storage.StorageClassName);
        Assert.Equal("gp3.encrypted", TestConfig.LoadValid(("pgha:platform", "generic"), ("pgha:storageClassName", "gp3.encrypted")).Storage.StorageClassName);
        TestConfig.SingleError("pgha:storageClassName", ("pgha:platform", "generic"), ("pgha:storageClassName", "GP3_fast"));
    }

    [Fact]
    public void Platform_must_be_eks_or_generic()
    {
        var error = TestConfig.SingleError("pgha:platform", ("pgha:platform", "gke"));
        Assert.Contains("eks, generic", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pgha:cpuRequest", "1 core")]
    [InlineData("pgha:cpuLimit", "2x")]
    [InlineData("pgha:memoryRequest", "1GB ")]
    [InlineData("pgha:memoryLimit", "lots")]
    public void Resources_must_be_quantities(string key, string value)
    {
        var (_, errors) = TestConfig.Load(TestConfig.With((key, value)));
        Assert.Contains(errors, e => e.Key == key && e.Value == value.Trim());
    }

    [Fact]
    public void Requests_must_not_exceed_limits()
    {
        TestConfig.SingleError("pgha:cpuRequest", ("pgha:cpuRequest", "3"));
        TestConfig.SingleError("pgha:memoryRequest", ("pgha:memoryRequest", "3Gi"));
        var s = TestConfig.LoadValid(("pgha:cpuRequest", "2000m"), ("pgha:memoryRequest", "2048Mi"));
        Assert.Equal("2000m", s.Resources.CpuRequest);
    }

    [Fact]
    public void Tiny_memory_is_rejected() =>
        TestConfig.SingleError("pgha:memoryRequest", ("pgha:memoryRequest", "128Mi"));

    [Fact]
    public void Anti_affinity_and_zone_spread_accept_their_modes()
    {
        var s = TestConfig.LoadValid(("pgha:antiAffinity", "preferred"), ("pgha:zoneSpread", "none"));
        Assert.Equal(AntiAffinityMode.Preferred, s.Scheduling.AntiAffinity);
        Assert.Equal(ZoneSpreadMode.None, s.Scheduling.ZoneSpread);
        TestConfig.SingleError("pgha:antiAffinity", ("pgha:antiAffinity", "sometimes"));
        TestConfig.SingleError("pgha:zoneSpread", ("pgha:zoneSpread", "1"));
    }

    [Theory]
    [InlineData("pgha:patroniTtl", "19")]
    [InlineData("pgha:patroniLoopWait", "0")]
    [InlineData("pgha:patroniRetryTimeout", "2")]
    public void Patroni_minimums_are_enforced(string key, string value) => TestConfig.SingleError(key, (key, value));

    [Fact]
    public void Loop_wait_plus_twice_retry_timeout_must_fit_in_ttl()
    {
        var error = TestConfig.SingleError("pgha:patroniTtl", ("pgha:patroniLoopWait", "10"), ("pgha:patroniRetryTimeout", "10"));
        Assert.Contains("30", error.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:patroniTtl 30", error.Fix, StringComparison.Ordinal);
        var s = TestConfig.LoadValid(("pgha:patroniTtl", "30"), ("pgha:patroniLoopWait", "10"), ("pgha:patroniRetryTimeout", "10"));
        Assert.Equal(30, s.Patroni.Ttl);
    }

    [Theory]
    [InlineData("on", SynchronousMode.On)]
    [InlineData("strict", SynchronousMode.Strict)]
    [InlineData("off", SynchronousMode.Off)]
    public void Synchronous_mode_accepts_its_values(string value, SynchronousMode expected) =>
        Assert.Equal(expected, TestConfig.LoadValid(("pgha:synchronousMode", value)).Patroni.SynchronousMode);

    [Fact]
    public void Synchronous_mode_rejects_anything_else() =>
        TestConfig.SingleError("pgha:synchronousMode", ("pgha:synchronousMode", "yes"));

    [Theory]
    [InlineData("-1")]
    [InlineData("4gb")]
    [InlineData("lots")]
    public void Slot_wal_cap_must_be_a_finite_postgres_size(string value) =>
        TestConfig.SingleError("pgha:maxSlotWalKeepSize", ("pgha:maxSlotWalKeepSize", value));

    [Fact]
    public void Slot_wal_cap_must_leave_room_on_the_volume()
    {
        var error = TestConfig.SingleError("pgha:maxSlotWalKeepSize", ("pgha:maxSlotWalKeepSize", "12GB"));
        Assert.Contains("half of the volume", error.Problem, StringComparison.Ordinal);
        Assert.Equal("12GB", TestConfig.LoadValid(("pgha:maxSlotWalKeepSize", "12GB"), ("pgha:storageSize", "50Gi")).Patroni.MaxSlotWalKeepSize);
    }

    [Theory]
    [InlineData("pgha:walKeepSize")]
    [InlineData("pgha:maximumLagOnFailover")]
    [InlineData("pgha:readinessMaxLag")]
    public void Sizes_must_be_postgres_sizes(string key) => TestConfig.SingleError(key, (key, "16 megs"));

    [Theory]
    [InlineData("pgha:database", "App-DB")]
    [InlineData("pgha:appUser", "1user")]
    [InlineData("pgha:appUser", "postgres")]
    [InlineData("pgha:appUser", "replicator")]
    public void Database_and_app_user_must_be_plain_identifiers_not_reserved(string key, string value) =>
        TestConfig.SingleError(key, (key, value));

    [Fact]
    public void Missing_password_says_the_exact_secret_command()
    {
        var error = TestConfig.SingleError("pgha:replicationPassword", ("pgha:replicationPassword", null));
        Assert.StartsWith("pulumi config set --secret pgha:replicationPassword <password>", error.Fix, StringComparison.Ordinal);
        Assert.Contains("pgha:existingReplicationSecret", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_secret_replaces_the_password()
    {
        var s = TestConfig.LoadValid(("pgha:appPassword", null), ("pgha:existingAppSecret", "app-creds"));
        Assert.Equal("app-creds", s.Credentials.App.ExistingSecretName);
        Assert.Null(s.Credentials.App.PasswordKey);
        Assert.Equal(ConfigKeys.SuperuserPassword, s.Credentials.Superuser.PasswordKey);
    }

    [Fact]
    public void Password_and_existing_secret_together_are_ambiguous() =>
        TestConfig.SingleError("pgha:existingAppSecret", ("pgha:existingAppSecret", "app-creds"));

    [Fact]
    public void A_secret_value_never_appears_in_any_error()
    {
        var (_, errors) = TestConfig.Load(TestConfig.With(
            ("pgha:existingAppSecret", "x"), ("pgha:existingSuperuserSecret", "y"), ("pgha:replicas", "0")));
        Assert.NotEmpty(errors);
        var message = new SettingsValidationException(errors).Message;
        Assert.DoesNotContain(TestConfig.SecretValue, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_must_be_chosen_explicitly()
    {
        var error = TestConfig.SingleError("pgha:kubeContext", ("pgha:kubeContext", null));
        Assert.Contains("pgha:eksClusterName", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Kube_context_and_eks_cluster_are_exclusive() =>
        TestConfig.SingleError("pgha:eksClusterName", ("pgha:eksClusterName", "prod"), ("aws:region", "eu-central-1"));

    [Fact]
    public void Eks_cluster_needs_a_region_and_the_eks_platform()
    {
        TestConfig.SingleError("aws:region", ("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("aws:region", null));
        TestConfig.SingleError("pgha:eksClusterName", ("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"),
            ("aws:region", "eu-central-1"), ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"));
        var s = TestConfig.LoadValid(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("aws:region", "eu-central-1"));
        Assert.True(s.Access.UsesEks);
        Assert.Equal("eu-central-1", s.Access.AwsRegion);
    }

    [Fact]
    public void Eks_platform_needs_a_region_for_its_kms_key_unless_a_key_is_given()
    {
        var error = TestConfig.SingleError("aws:region", ("aws:region", null));
        Assert.Contains("pgha:kmsKeyArn", error.Fix, StringComparison.Ordinal);
        TestConfig.LoadValid(("aws:region", null), ("pgha:kmsKeyArn", "arn:aws:kms:eu-central-1:123456789012:key/abc"));
        TestConfig.LoadValid(("aws:region", null), ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"));
    }

    [Fact]
    public void Replication_check_settings_have_defaults_and_rules()
    {
        var s = TestConfig.LoadValid();
        Assert.Equal(CheckConnectionMode.PortForward, s.Check.ConnectionMode);
        Assert.Equal("portForward", s.Check.ConnectionModeName);
        Assert.Equal(600, s.Check.TimeoutSeconds);
        Assert.Equal("direct", TestConfig.LoadValid(("pgha:checkConnectionMode", "direct")).Check.ConnectionModeName);
        var mode = TestConfig.SingleError("pgha:checkConnectionMode", ("pgha:checkConnectionMode", "ssh"));
        Assert.Contains("portForward, direct", mode.Problem, StringComparison.Ordinal);
        TestConfig.SingleError("pgha:checkTimeoutSeconds", ("pgha:checkTimeoutSeconds", "5"));
    }

    [Fact]
    public void Create_namespace_must_be_a_boolean()
    {
        TestConfig.SingleError("pgha:createNamespace", ("pgha:createNamespace", "yes"));
        Assert.True(TestConfig.LoadValid(("pgha:createNamespace", "true")).Cluster.CreateNamespace);
    }

    [Fact]
    public void Deletion_protection_is_on_unless_turned_off_and_must_be_a_boolean()
    {
        Assert.True(TestConfig.LoadValid().Cluster.DeletionProtection);
        Assert.False(TestConfig.LoadValid(("pgha:deletionProtection", "false")).Cluster.DeletionProtection);
        var error = TestConfig.SingleError("pgha:deletionProtection", ("pgha:deletionProtection", "off"));
        Assert.Equal("off", error.Value);
    }
}

public class MigrationSettingsTests
{
    [Fact]
    public void Migration_is_off_without_a_source_host() => Assert.Null(TestConfig.LoadValid().Migration);

    [Fact]
    public void Migration_settings_default_from_the_cluster()
    {
        var m = TestConfig.LoadValid(("pgha:migrationSourceHost", "postgres.old.svc.cluster.local"), ("pgha:migrationSourceSecret", "old-creds"),
            ("pgha:database", "orders_db"))!.Migration!;
        Assert.Equal(5432, m.Port);
        Assert.Equal("orders_db", m.Database);
        Assert.Equal("prefer", m.SslMode);
        Assert.False(m.Force);
        Assert.Null(m.ScaleDownDeployment);
    }

    [Fact]
    public void Migration_needs_credentials_and_a_valid_host()
    {
        var error = TestConfig.SingleError("pgha:migrationSourceSecret", ("pgha:migrationSourceHost", "postgres"));
        Assert.Contains("pulumi config set pgha:migrationSourceSecret", error.Fix, StringComparison.Ordinal);
        TestConfig.SingleError("pgha:migrationSourceHost", ("pgha:migrationSourceHost", "bad host!"), ("pgha:migrationSourceSecret", "old-creds"));
        TestConfig.SingleError("pgha:migrationSourceSslMode", ("pgha:migrationSourceHost", "postgres"), ("pgha:migrationSourceSecret", "old-creds"),
            ("pgha:migrationSourceSslMode", "sometimes"));
    }

    [Fact]
    public void Migration_keys_without_a_source_are_reported_not_ignored()
    {
        var error = TestConfig.SingleError("pgha:migrationForce", ("pgha:migrationForce", "true"));
        Assert.Contains("pgha:migrationSourceHost is not set", error.Problem, StringComparison.Ordinal);
    }
}
