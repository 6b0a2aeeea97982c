using PgHa.Core.Backup;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Pods;

namespace PgHa.Core.Tests;

/// <summary>Merging the features' pod contributions: order, and every kind of conflict refused with both features named.</summary>
public class PodLayoutTests
{
    private static readonly ContainerResources Small = new(new Dictionary<string, string> { ["cpu"] = "10m" }, new Dictionary<string, string>());

    private static PodContribution Base() => new("base")
    {
        Volumes = [PodVolume.ClaimTemplate("data"), PodVolume.InMemory("shm")],
        Containers =
        [
            new PodContainer("db", "db-image", Small)
            {
                Env = [PodEnvVar.Literal("A", "1")],
                Mounts = [new PodVolumeMount("data", "/data"), new PodVolumeMount("shm", "/dev/shm")],
            },
        ],
    };

    private static PodContribution Sidecar() => new("sidecar")
    {
        Volumes = [PodVolume.FromConfigMap("sidecar-files", "cm-sidecar")],
        Containers =
        [
            new PodContainer("side", "side-image", Small)
            {
                Env = [PodEnvVar.Literal("A", "also fine: another container")],
                Mounts = [new PodVolumeMount("sidecar-files", "/etc/side", ReadOnly: true)],
            },
        ],
    };

    private static PodContribution Addition(params PodEnvVar[] env) => new("addition")
    {
        Volumes = [PodVolume.FromConfigMap("scripts", "cm-scripts")],
        Extensions = [new ContainerExtension("db") { Env = env, Mounts = [new PodVolumeMount("scripts", "/etc/scripts", ReadOnly: true)] }],
    };

    [Fact]
    public void Volumes_and_containers_follow_the_contributions_and_additions_come_after_a_containers_own()
    {
        var layout = PodLayout.Merge([Base(), Sidecar(), Addition(PodEnvVar.Literal("B", "2"))]);
        Assert.Equal(["data", "shm", "sidecar-files", "scripts"], layout.Volumes.Select(v => v.Name));
        Assert.Equal(["db", "side"], layout.Containers.Select(c => c.Name));
        var db = layout.Containers[0];
        Assert.Equal(["A", "B"], db.Env.Select(e => e.Name));
        Assert.Equal(["/data", "/dev/shm", "/etc/scripts"], db.Mounts.Select(m => m.MountPath));
        Assert.Equal(["/etc/side"], layout.Containers[1].Mounts.Select(m => m.MountPath));
    }

    [Fact]
    public void A_volume_given_twice_is_refused_naming_both_features()
    {
        var clash = new PodContribution("clash") { Volumes = [PodVolume.InMemory("shm")] };
        var error = Assert.Throws<InvalidOperationException>(() => PodLayout.Merge([Base(), clash]));
        Assert.Contains("volume 'shm' comes from both base and clash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_variable_given_twice_in_one_container_is_refused_naming_both_features()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PodLayout.Merge([Base(), Addition(PodEnvVar.Literal("A", "again"))]));
        Assert.Contains("environment variable 'A' of container 'db' comes from both base and addition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_given_twice_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PodLayout.Merge([Base(), new PodContribution("again") { Containers = Base().Containers }]));
        Assert.Contains("container 'db' comes from both base and again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_mounts_at_one_path_of_a_container_are_refused()
    {
        var clash = new PodContribution("clash")
        {
            Volumes = [PodVolume.InMemory("other")],
            Extensions = [new ContainerExtension("db") { Mounts = [new PodVolumeMount("other", "/data")] }],
        };
        var error = Assert.Throws<InvalidOperationException>(() => PodLayout.Merge([Base(), clash]));
        Assert.Contains("mount path '/data' of container 'db' comes from both base and clash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mount_of_an_undeclared_volume_and_an_addition_to_an_undeclared_container_are_refused()
    {
        var mount = new PodContribution("stray") { Extensions = [new ContainerExtension("db") { Mounts = [new PodVolumeMount("nowhere", "/x")] }] };
        Assert.Contains("stray mounts volume 'nowhere'", Assert.Throws<InvalidOperationException>(() => PodLayout.Merge([Base(), mount])).Message,
            StringComparison.Ordinal);
        var container = new PodContribution("stray") { Extensions = [new ContainerExtension("nobody") { Env = [PodEnvVar.Literal("X", "1")] }] };
        Assert.Contains("stray adds to container 'nobody'", Assert.Throws<InvalidOperationException>(() => PodLayout.Merge([Base(), container])).Message,
            StringComparison.Ordinal);
    }

    private static readonly CredentialSecretNames Secrets = new("c-superuser", "c-replication", "c-app", "c-monitoring");
    private static readonly BackupTarget Target = new("orders-backups-1", "arn:aws:kms:eu-central-1:123456789012:key/k1", null);

    [Fact]
    public void The_database_pod_without_features_is_the_spilo_container_with_its_data_shared_memory_and_certificate()
    {
        var layout = DatabasePod.Layout(TestConfig.LoadValid(), Secrets, backupTarget: null);
        var postgres = Assert.Single(layout.Containers);
        Assert.Equal(SpiloPod.Container, postgres.Name);
        Assert.Equal([ResourceNames.DataVolume, SpiloPod.SharedMemoryVolume, TlsPod.Volume], layout.Volumes.Select(v => v.Name));
        Assert.Equal([ResourceNames.DataVolume, SpiloPod.SharedMemoryVolume, TlsPod.Volume], postgres.Mounts.Select(m => m.Volume));
        Assert.Equal([.. SpiloEnvironment.Build(TestConfig.LoadValid(), Secrets), .. TlsEnvironment()], postgres.Env);
    }

    private static IEnumerable<PodEnvVar> TlsEnvironment() =>
        TlsPod.Contribution(TestConfig.LoadValid()).Extensions.Single().Env;

    [Fact]
    public void The_certificate_secret_is_mounted_read_only_for_spilo_readable_by_the_pods_group_only()
    {
        var settings = TestConfig.LoadValid(("pgha:clusterName", "orders"));
        var layout = DatabasePod.Layout(settings, Secrets, backupTarget: null);
        var volume = Assert.Single(layout.Volumes, v => v.Name == TlsPod.Volume);
        Assert.Equal((PodVolumeKind.Secret, "orders-tls", Convert.ToInt32("640", 8)), (volume.Kind, volume.SecretName, volume.DefaultMode!.Value));
        var postgres = Assert.Single(layout.Containers);
        Assert.Contains(postgres.Mounts, m => m.Volume == TlsPod.Volume && m.MountPath == "/tls" && m.ReadOnly);
        var env = postgres.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(("/tls/tls.crt", "/tls/tls.key", "/tls/ca.crt"), (env["SSL_CERTIFICATE_FILE"], env["SSL_PRIVATE_KEY_FILE"], env["SSL_CA_FILE"]));
        // Patroni's REST API on HTTPS with the same files; its clients' certificates are checked against the same CA.
        Assert.Equal(("/tls/tls.crt", "/tls/tls.key", "/tls/ca.crt"),
            (env["SSL_RESTAPI_CERTIFICATE_FILE"], env["SSL_RESTAPI_PRIVATE_KEY_FILE"], env["SSL_RESTAPI_CA_FILE"]));
        // The kubelet's probes follow it to HTTPS (it does not verify, and GETs need no client certificate).
        Assert.Equal([HttpProbe.Https, HttpProbe.Https], new[] { postgres.ReadinessProbe!.Scheme, postgres.LivenessProbe!.Scheme });
        // cert-manager writes the same Secret: the pod is the same either way.
        Assert.Equal(layout.Volumes, DatabasePod.Layout(TestConfig.LoadValid(("pgha:clusterName", "orders"), ("pgha:certManagerIssuer", "Issuer/ca")),
            Secrets, backupTarget: null).Volumes);
    }

    [Fact]
    public void Backups_add_walg_environment_and_the_election_script_to_the_database_container()
    {
        var settings = TestConfig.LoadValid(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true"), ("pgha:clusterName", "orders"));
        var layout = DatabasePod.Layout(settings, Secrets, Target);
        var postgres = Assert.Single(layout.Containers);
        var scripts = Assert.Single(layout.Volumes, v => v.Name == BackupPod.ScriptsVolume);
        Assert.Equal("orders-backup-scripts", scripts.ConfigMapName);
        Assert.Contains(postgres.Mounts, m => m.Volume == BackupPod.ScriptsVolume && m.MountPath == BackupElection.MountPath && m.ReadOnly);
        // Spilo's environment first, then WAL-G's.
        Assert.Equal([.. SpiloEnvironment.Build(settings, Secrets), .. TlsEnvironment(), .. WalGEnvironment.Build(settings, Target)], postgres.Env);
        Assert.Throws<ArgumentNullException>(() => DatabasePod.Layout(settings, Secrets, backupTarget: null));
    }

    [Fact]
    public void Monitoring_adds_the_exporter_sidecar_with_its_queries_before_the_backup_volume()
    {
        var settings = TestConfig.LoadValid(("pgha:monitoring", "true"), ("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"),
            ("pgha:backups", "true"), ("pgha:clusterName", "orders"));
        var layout = DatabasePod.Layout(settings, Secrets, Target);
        Assert.Equal([SpiloPod.Container, MonitoringPod.Container], layout.Containers.Select(c => c.Name));
        Assert.Equal([ResourceNames.DataVolume, SpiloPod.SharedMemoryVolume, TlsPod.Volume, MonitoringPod.QueriesVolume, BackupPod.ScriptsVolume],
            layout.Volumes.Select(v => v.Name));
        var exporter = layout.Containers[1];
        Assert.Equal("orders-exporter-queries", Assert.Single(layout.Volumes, v => v.Name == MonitoringPod.QueriesVolume).ConfigMapName);
        Assert.Equal([MonitoringPod.QueriesVolume], exporter.Mounts.Select(m => m.Volume));
        Assert.True(exporter.ReadOnlyRootFilesystem);
        Assert.DoesNotContain(exporter.Env, e => e.Name.StartsWith("WALG_", StringComparison.Ordinal));
        // The exporter connects as the monitoring role, never as the superuser.
        Assert.Equal(new SecretKeyRef("c-monitoring", "username"), Assert.Single(exporter.Env, e => e.Name == "DATA_SOURCE_USER").Secret);
        Assert.Equal(new SecretKeyRef("c-monitoring", "password"), Assert.Single(exporter.Env, e => e.Name == "DATA_SOURCE_PASS").Secret);
        Assert.DoesNotContain(exporter.Env, e => e.Secret?.SecretName == "c-superuser");
    }
}
