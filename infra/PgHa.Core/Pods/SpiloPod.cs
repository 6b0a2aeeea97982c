using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Pods;

/// <summary>
/// The base of the database pod: the Spilo container (Patroni and PostgreSQL) with its ports, probes, resources and
/// environment, its data volume (the StatefulSet's claim) and an in-memory /dev/shm.
/// </summary>
public static class SpiloPod
{
    public const string Feature = "the Spilo/Patroni base";

    /// <summary>The database container, which other features add to.</summary>
    public const string Container = "postgres";

    /// <summary>PostgreSQL's shared memory; the container runtime's default /dev/shm (64Mi) is too small.</summary>
    public const string SharedMemoryVolume = "dshm";

    public static PodContribution Contribution(PgHaSettings settings, CredentialSecretNames secrets) => new(Feature)
    {
        Volumes = [PodVolume.ClaimTemplate(ResourceNames.DataVolume), PodVolume.InMemory(SharedMemoryVolume)],
        Containers =
        [
            new PodContainer(Container, settings.Postgres.Image, new ContainerResources(
                Requests: new Dictionary<string, string> { ["cpu"] = settings.Resources.CpuRequest, ["memory"] = settings.Resources.MemoryRequest },
                Limits: new Dictionary<string, string> { ["cpu"] = settings.Resources.CpuLimit, ["memory"] = settings.Resources.MemoryLimit }))
            {
                ImagePullPolicy = "IfNotPresent",
                Ports =
                [
                    new ContainerPort(PatroniConfig.PostgresPortName, PatroniConfig.PostgresPort),
                    new ContainerPort(PatroniConfig.RestApiPortName, PatroniConfig.RestApiPort),
                ],
                Env = SpiloEnvironment.Build(settings, secrets),
                // Ready = leader, or a replica that streams and is at most readinessMaxLag behind: a lagging
                // replica leaves the read-only Service until it catches up.
                ReadinessProbe = new HttpProbe(PatroniConfig.ReadinessPath(settings.Patroni.ReadinessMaxLagBytes), PatroniConfig.RestApiPort,
                    PeriodSeconds: 5, TimeoutSeconds: 3, FailureThreshold: 3, Scheme: HttpProbe.Https),
                // Both over HTTPS (the REST API serves the cluster's certificate, TlsPod), as GETs needing no client certificate.
                // Alive = Patroni's HA loop is running; PostgreSQL restarts are Patroni's job, not the kubelet's.
                LivenessProbe = new HttpProbe(PatroniConfig.LivenessPath, PatroniConfig.RestApiPort,
                    PeriodSeconds: 10, TimeoutSeconds: 5, FailureThreshold: 6, InitialDelaySeconds: 30, Scheme: HttpProbe.Https),
                Mounts =
                [
                    new PodVolumeMount(ResourceNames.DataVolume, SpiloEnvironment.DataMountPath),
                    new PodVolumeMount(SharedMemoryVolume, "/dev/shm"),
                ],
            },
        ],
    };
}
