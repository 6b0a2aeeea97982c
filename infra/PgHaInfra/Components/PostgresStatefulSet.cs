using PgHa.Core.Backup;
using PgHa.Core.Kubernetes;
using PgHa.Core.Monitoring;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Policy.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Policy.V1;

namespace PgHa.Infra.Components;

public sealed record PostgresStatefulSetArgs(
    PgHaSettings Settings,
    ResourceNames Names,
    Input<string> Namespace,
    Input<string> StorageClassName,
    Input<string> ServiceAccountName,
    Input<string> HeadlessServiceName,
    CredentialSecretNames Secrets,
    Output<BackupTarget>? BackupTarget = null);

/// <summary>
/// The Spilo/Patroni pods: one volume each, never two on a node, spread over zones, probed through Patroni's
/// REST API, non-root, with a disruption budget so a node drain never takes more than one member at a time.
/// </summary>
public sealed class PostgresStatefulSet : ComponentResource
{
    private const string PostgresContainer = "postgres";

    [Output("statefulSetName")]
    public Output<string> StatefulSetName { get; }

    /// <summary>The StatefulSet resource itself, for explicit dependencies of later steps.</summary>
    public StatefulSet StatefulSet { get; }

    public PostgresStatefulSet(string name, PostgresStatefulSetArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresStatefulSet", name, options)
    {
        var settings = args.Settings;
        var cluster = settings.Cluster.Name;
        var selector = Metadata.ToInputMap(Labels.Selector(cluster));

        StatefulSet = new StatefulSet(name, new StatefulSetArgs
        {
            Metadata = Metadata.For(args.Names.StatefulSet, args.Namespace, cluster, "database"),
            Spec = new StatefulSetSpecArgs
            {
                Replicas = settings.Cluster.Replicas,
                ServiceName = args.HeadlessServiceName,
                // Parallel: a member whose node is gone must not stop the others from (re)starting.
                PodManagementPolicy = "Parallel",
                Selector = new LabelSelectorArgs { MatchLabels = selector },
                UpdateStrategy = new StatefulSetUpdateStrategyArgs { Type = "RollingUpdate" },
                // Volumes hold the data: neither deleting the StatefulSet nor scaling down deletes them.
                PersistentVolumeClaimRetentionPolicy = new StatefulSetPersistentVolumeClaimRetentionPolicyArgs
                {
                    WhenDeleted = "Retain",
                    WhenScaled = "Retain",
                },
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = Metadata.ToInputMap(Labels.Common(cluster, "database")) },
                    Spec = PodSpec(args),
                },
                VolumeClaimTemplates =
                {
                    new PersistentVolumeClaimArgs
                    {
                        Metadata = new ObjectMetaArgs
                        {
                            Name = ResourceNames.DataVolume,
                            Labels = Metadata.ToInputMap(Labels.Common(cluster, "database")),
                        },
                        Spec = new PersistentVolumeClaimSpecArgs
                        {
                            AccessModes = { "ReadWriteOnce" },
                            StorageClassName = args.StorageClassName,
                            Resources = new VolumeResourceRequirementsArgs
                            {
                                Requests = { ["storage"] = settings.Storage.Size },
                            },
                        },
                    },
                },
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            // No destroy or replacement by accident (pgha:deletionProtection); the PVCs outlive it either way (Retain).
            Protect = settings.Cluster.DeletionProtection,
        });

        _ = new PodDisruptionBudget(name, new PodDisruptionBudgetArgs
        {
            Metadata = Metadata.For(args.Names.DisruptionBudget, args.Namespace, cluster, "database"),
            Spec = new PodDisruptionBudgetSpecArgs
            {
                MaxUnavailable = 1,
                Selector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(Labels.Selector(cluster)) },
            },
        }, new CustomResourceOptions { Parent = this });

        StatefulSetName = StatefulSet.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["statefulSetName"] = StatefulSetName });
    }

    private static PodSpecArgs PodSpec(PostgresStatefulSetArgs args)
    {
        var settings = args.Settings;
        var cluster = settings.Cluster.Name;
        return new PodSpecArgs
        {
            ServiceAccountName = args.ServiceAccountName,
            TerminationGracePeriodSeconds = PodDefaults.TerminationGracePeriodSeconds(settings.Patroni),
            SecurityContext = PodSpecParts.NonRootPod(),
            Affinity = new AffinityArgs { PodAntiAffinity = AntiAffinity(cluster, settings.Scheduling.AntiAffinity) },
            TopologySpreadConstraints = ZoneSpread(cluster, settings.Scheduling.ZoneSpread),
            Containers = settings.Monitoring.Enabled ? [Container(args), ExporterContainer(args)] : [Container(args)],
            Volumes = Volumes(args),
        };
    }

    private static InputList<VolumeArgs> Volumes(PostgresStatefulSetArgs args)
    {
        var volumes = new InputList<VolumeArgs> { SharedMemory };
        if (args.Settings.Monitoring.Enabled)
        {
            volumes.Add(ExporterQueries(args.Names));
        }

        if (args.Settings.Backup is not null)
        {
            volumes.Add(new VolumeArgs { Name = "backup-scripts", ConfigMap = new ConfigMapVolumeSourceArgs { Name = args.Names.BackupScripts } });
        }

        return volumes;
    }

    // PostgreSQL's shared memory; the container runtime's default /dev/shm (64Mi) is too small.
    private static VolumeArgs SharedMemory => new() { Name = "dshm", EmptyDir = new EmptyDirVolumeSourceArgs { Medium = "Memory" } };

    private static VolumeArgs ExporterQueries(ResourceNames names) => new()
    {
        Name = "exporter-queries",
        ConfigMap = new ConfigMapVolumeSourceArgs { Name = names.ExporterQueries },
    };

    /// <summary>postgres_exporter with our replication, slot, archiver and role queries.</summary>
    private static ContainerArgs ExporterContainer(PostgresStatefulSetArgs args) =>
        new()
        {
            Name = "exporter",
            Image = Defaults.ExporterImage,
            Args = ExporterSidecar.Arguments.ToArray(),
            Ports = { new ContainerPortArgs { Name = ExporterSidecar.PortName, ContainerPortValue = ExporterSidecar.Port, Protocol = "TCP" } },
            Env = PodSpecParts.Env(ExporterSidecar.Environment(args.Secrets)),
            Resources = new ResourceRequirementsArgs
            {
                Requests = { ["cpu"] = "20m", ["memory"] = "32Mi" },
                Limits = { ["memory"] = "128Mi" },
            },
            SecurityContext = PodSpecParts.RestrictedContainer(readOnlyRootFilesystem: true),
            VolumeMounts = { new VolumeMountArgs { Name = "exporter-queries", MountPath = ExporterSidecar.QueriesDirectory, ReadOnly = true } },
        };

    private static ContainerArgs Container(PostgresStatefulSetArgs args)
    {
        var settings = args.Settings;
        return new ContainerArgs
        {
            Name = PostgresContainer,
            Image = settings.Postgres.Image,
            ImagePullPolicy = "IfNotPresent",
            Ports =
            {
                new ContainerPortArgs { Name = "postgresql", ContainerPortValue = PatroniConfig.PostgresPort, Protocol = "TCP" },
                new ContainerPortArgs { Name = "patroni", ContainerPortValue = PatroniConfig.RestApiPort, Protocol = "TCP" },
            },
            Env = Env(args),
            Resources = new ResourceRequirementsArgs
            {
                Requests = { ["cpu"] = settings.Resources.CpuRequest, ["memory"] = settings.Resources.MemoryRequest },
                Limits = { ["cpu"] = settings.Resources.CpuLimit, ["memory"] = settings.Resources.MemoryLimit },
            },
            // Ready = leader, or a replica that streams and is at most readinessMaxLag behind: a lagging
            // replica leaves the read-only Service until it catches up.
            ReadinessProbe = new ProbeArgs
            {
                HttpGet = new HTTPGetActionArgs { Path = PatroniConfig.ReadinessPath(settings.Patroni.ReadinessMaxLagBytes), Port = PatroniConfig.RestApiPort },
                PeriodSeconds = 5,
                TimeoutSeconds = 3,
                FailureThreshold = 3,
            },
            // Alive = Patroni's HA loop is running; PostgreSQL restarts are Patroni's job, not the kubelet's.
            LivenessProbe = new ProbeArgs
            {
                HttpGet = new HTTPGetActionArgs { Path = PatroniConfig.LivenessPath, Port = PatroniConfig.RestApiPort },
                InitialDelaySeconds = 30,
                PeriodSeconds = 10,
                TimeoutSeconds = 5,
                FailureThreshold = 6,
            },
            SecurityContext = PodSpecParts.RestrictedContainer(),
            VolumeMounts = settings.Backup is null ? [DataMount, SharedMemoryMount] : [DataMount, SharedMemoryMount, BackupScriptsMount],
        };
    }

    /// <summary>Spilo's environment, plus WAL-G's once the backup store is known.</summary>
    private static InputList<EnvVarArgs> Env(PostgresStatefulSetArgs args)
    {
        var env = PodSpecParts.Env(SpiloEnvironment.Build(args.Settings, args.Secrets));
        if (args.Settings.Backup is not null && args.BackupTarget is { } target)
        {
            env = env.Concat(target.Apply(t => PodSpecParts.EnvList(WalGEnvironment.Build(args.Settings, t))));
        }

        return env;
    }

    private static VolumeMountArgs DataMount => new() { Name = ResourceNames.DataVolume, MountPath = SpiloEnvironment.DataMountPath };

    private static VolumeMountArgs SharedMemoryMount => new() { Name = "dshm", MountPath = "/dev/shm" };

    private static VolumeMountArgs BackupScriptsMount => new() { Name = "backup-scripts", MountPath = BackupElection.MountPath, ReadOnly = true };

    private static PodAntiAffinityArgs AntiAffinity(string cluster, AntiAffinityMode mode)
    {
        var term = new PodAffinityTermArgs
        {
            LabelSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(Labels.Selector(cluster)) },
            TopologyKey = "kubernetes.io/hostname",
        };
        return mode == AntiAffinityMode.Required
            ? new PodAntiAffinityArgs { RequiredDuringSchedulingIgnoredDuringExecution = { term } }
            : new PodAntiAffinityArgs
            {
                PreferredDuringSchedulingIgnoredDuringExecution = { new WeightedPodAffinityTermArgs { Weight = 100, PodAffinityTerm = term } },
            };
    }

    private static InputList<TopologySpreadConstraintArgs> ZoneSpread(string cluster, ZoneSpreadMode mode) => mode switch
    {
        ZoneSpreadMode.None => [],
        _ =>
        [
            new TopologySpreadConstraintArgs
            {
                MaxSkew = 1,
                TopologyKey = "topology.kubernetes.io/zone",
                WhenUnsatisfiable = mode == ZoneSpreadMode.Required ? "DoNotSchedule" : "ScheduleAnyway",
                LabelSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(Labels.Selector(cluster)) },
            },
        ],
    };
}
