using PgHa.Core.Backup;
using PgHa.Core.Kubernetes;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Pods;
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
        // The pod as the features contribute it; WAL-G's part is known once the backup store is.
        var layout = settings.Backup is not null && args.BackupTarget is { } target
            ? target.Apply(t => DatabasePod.Layout(settings, args.Secrets, t))
            : Output.Create(DatabasePod.Layout(settings, args.Secrets, backupTarget: null));
        return new PodSpecArgs
        {
            ServiceAccountName = args.ServiceAccountName,
            TerminationGracePeriodSeconds = PodDefaults.TerminationGracePeriodSeconds(settings.Patroni),
            SecurityContext = PodSpecParts.NonRootPod(),
            Affinity = new AffinityArgs { PodAntiAffinity = AntiAffinity(cluster, settings.Scheduling.AntiAffinity) },
            TopologySpreadConstraints = ZoneSpread(cluster, settings.Scheduling.ZoneSpread),
            Containers = PodInputs.Containers(layout),
            Volumes = PodInputs.Volumes(layout),
        };
    }

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
