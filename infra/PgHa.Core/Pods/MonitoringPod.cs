using PgHa.Core.Monitoring;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Pods;

/// <summary>Monitoring in the database pod: the postgres_exporter sidecar with our queries, mounted from their ConfigMap.</summary>
public static class MonitoringPod
{
    public const string Feature = "monitoring";

    /// <summary>The sidecar's container.</summary>
    public const string Container = "exporter";

    /// <summary>The volume of the exporter's query file.</summary>
    public const string QueriesVolume = "exporter-queries";

    public static PodContribution Contribution(string cluster, CredentialSecretNames secrets) => new(Feature)
    {
        Volumes = [PodVolume.FromConfigMap(QueriesVolume, new ResourceNames(cluster).ExporterQueries)],
        Containers =
        [
            // postgres_exporter with our replication, slot, archiver and role queries.
            new PodContainer(Container, Defaults.ExporterImage, new ContainerResources(
                Requests: new Dictionary<string, string> { ["cpu"] = "20m", ["memory"] = "32Mi" },
                Limits: new Dictionary<string, string> { ["memory"] = "128Mi" }))
            {
                Args = ExporterSidecar.Arguments,
                Ports = [new ContainerPort(ExporterSidecar.PortName, ExporterSidecar.Port)],
                Env = ExporterSidecar.Environment(secrets),
                Mounts = [new PodVolumeMount(QueriesVolume, ExporterSidecar.QueriesDirectory, ReadOnly: true)],
                ReadOnlyRootFilesystem = true,
            },
        ],
    };
}
