using PgHa.Core.Naming;
using PgHa.Core.Patroni;

namespace PgHa.Core.Tests;

public class SpiloEnvironmentTests
{
    private static readonly CredentialSecretNames Secrets = new("c-superuser", "c-replication", "c-app", "c-monitoring");

    private static IReadOnlyDictionary<string, PodEnvVar> Env(params (string, string?)[] changes) =>
        SpiloEnvironment.Build(TestConfig.LoadValid(changes), Secrets).ToDictionary(v => v.Name);

    [Fact]
    public void Patroni_uses_the_kubernetes_api_with_configmaps_and_the_cluster_scope()
    {
        var env = Env(("pgha:clusterName", "orders"));
        Assert.Equal("orders", env["SCOPE"].Value);
        Assert.Equal("true", env["DCS_ENABLE_KUBERNETES_API"].Value);
        Assert.Equal("true", env["KUBERNETES_USE_CONFIGMAPS"].Value);
        Assert.Equal("false", env["KUBERNETES_BYPASS_API_SERVICE"].Value);
        Assert.Equal(Labels.Instance, env["KUBERNETES_SCOPE_LABEL"].Value);
        Assert.Equal("{\"app.kubernetes.io/name\":\"postgresql\"}", env["KUBERNETES_LABELS"].Value);
    }

    [Fact]
    public void Role_label_values_are_the_ones_the_services_select()
    {
        var env = Env();
        Assert.Equal(Labels.RoleKey, env["KUBERNETES_ROLE_LABEL"].Value);
        Assert.Equal("primary", env["KUBERNETES_LEADER_LABEL_VALUE"].Value);
        Assert.Equal("replica", env["KUBERNETES_FOLLOWER_LABEL_VALUE"].Value);
        Assert.Equal(Labels.PrimaryRole, Labels.WithRole("c", Labels.PrimaryRole)[Labels.RoleKey]);
    }

    [Fact]
    public void Credentials_come_only_from_secrets()
    {
        var env = Env();
        Assert.Equal(new SecretKeyRef("c-superuser", "password"), env["PGPASSWORD_SUPERUSER"].Secret);
        Assert.Equal(new SecretKeyRef("c-superuser", "username"), env["PGUSER_SUPERUSER"].Secret);
        Assert.Equal(new SecretKeyRef("c-replication", "password"), env["PGPASSWORD_STANDBY"].Secret);
        Assert.Equal(new SecretKeyRef("c-replication", "username"), env["PGUSER_STANDBY"].Secret);
        Assert.All(env.Values.Where(v => v.Name.Contains("PASSWORD", StringComparison.Ordinal)), v => Assert.Null(v.Value));
        Assert.DoesNotContain(env.Values, v => v.Value?.Contains(TestConfig.SecretValue, StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Pod_identity_and_version_come_from_the_pod_and_settings()
    {
        var env = Env(("pgha:postgresVersion", "16"));
        Assert.Equal("status.podIP", env["POD_IP"].FieldPath);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].FieldPath);
        Assert.Equal("16", env["PGVERSION"].Value);
        Assert.StartsWith(SpiloEnvironment.DataMountPath, env["PGROOT"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Spilo_configuration_is_the_shared_patroni_configuration_read_from_its_config_map()
    {
        var s = TestConfig.LoadValid();
        Assert.Equal(PatroniConfig.ToYaml(PatroniConfig.Build(s.Patroni, s.Backup)), SpiloEnvironment.Configuration(s.Patroni, s.Backup));
        var variable = Env()["SPILO_CONFIGURATION"];
        Assert.Null(variable.Value);
        Assert.Equal(new ConfigMapKeyRef(new PgHa.Core.Naming.ResourceNames(s.Cluster.Name).SpiloConfiguration, "SPILO_CONFIGURATION"), variable.ConfigMap);
    }

    [Fact]
    public void The_local_configuration_fingerprint_follows_the_local_section_and_not_the_dynamic_one()
    {
        var s = TestConfig.LoadValid();
        var fingerprint = SpiloEnvironment.LocalConfigurationFingerprint(s.Patroni, s.Backup);
        Assert.Equal(fingerprint, SpiloEnvironment.LocalConfigurationFingerprint(s.Patroni with { Ttl = s.Patroni.Ttl + 10 }, s.Backup));
        Assert.NotEqual(fingerprint, SpiloEnvironment.LocalConfigurationFingerprint(s.Patroni, TestConfig.LoadValid(("pgha:backups", "true"), ("pgha:kubeContext", null), ("pgha:eksClusterName", "prod")).Backup));
    }
}
