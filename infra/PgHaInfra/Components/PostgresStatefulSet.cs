using PgHa.Core.DayTwo;
using PgHa.Core.Kubernetes;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Pods;
using PgHa.Core.Settings;
using PgHa.Core.Tls;
using Pulumi;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Policy.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Policy.V1;

namespace PgHa.Infra.Components;

/// <param name="Storage">Each member's volume: its size and StorageClass.</param>
/// <param name="Patroni">The timings the pods' termination grace period follows.</param>
/// <param name="Pod">The database pod, merged from the features' contributions (Core's <see cref="DatabasePod"/>).</param>
/// <param name="Backup">Backups, whose local archiving parameters are part of what Patroni reads only at start.</param>
/// <param name="CredentialsVersion">
/// The members' credentials' version (Core's <see cref="CredentialVersions.MembersVersion"/>), an annotation of the pod
/// template: a rotated superuser or replication password is a new template, whose members the rollout restarts.
/// </param>
/// <param name="CertificateFingerprint">
/// The server certificate's fingerprint (Core's <see cref="ClusterTls.Fingerprint"/>), an annotation of the pod template:
/// a renewed certificate is a new template, whose members the rollout restarts (Patroni's REST API reads it only at start).
/// Null when cert-manager issues the certificate (its renewals happen outside the stack).
/// </param>
public sealed record PostgresStatefulSetArgs(
    ClusterIdentity Cluster,
    StorageSettings Storage,
    SchedulingSettings Scheduling,
    PatroniSettings Patroni,
    Output<PodLayout> Pod,
    BackupSettings? Backup = null,
    Output<string>? CredentialsVersion = null,
    Output<string>? CertificateFingerprint = null);

/// <summary>
/// The Spilo/Patroni pods: one volume each, never two on a node, spread over zones, probed through Patroni's
/// REST API, non-root, with a disruption budget so a node drain never takes more than one member at a time.
/// Give it, as <see cref="ResourceOptions.DependsOn"/>, what the pods use: the Secrets, the ServiceAccount and its
/// Role, the headless Service, the StorageClass, and the ConfigMaps the pod mounts or reads.
/// </summary>
/// <remarks>
/// Day 2: no change of the settings replaces it or restarts a pod by itself. Pods are replaced only when the day-2
/// rollout (the ClusterRollout resource) deletes them, in the database's order (<c>OnDelete</c>); the member count
/// and the volume size are the rollout's to change after the first deploy (see the comments below).
/// </remarks>
public sealed class PostgresStatefulSet : ComponentResource
{
    /// <summary>The member count, changed by the day-2 rollout after creation (<see cref="ResourceOptions.IgnoreChanges"/>).</summary>
    public const string StatefulSetReplicasPath = "spec.replicas";

    /// <summary>The claim template's size, grown in place by the day-2 rollout after creation (<see cref="ResourceOptions.IgnoreChanges"/>).</summary>
    public const string ClaimTemplateSizePath = "spec.volumeClaimTemplates[0].spec.resources.requests.storage";

    [Output("statefulSetName")]
    public Output<string> StatefulSetName { get; }

    /// <summary>A fingerprint of the pod template (Core's <see cref="PodTemplateFingerprint"/>), for the day-2 rollout.</summary>
    public Output<string> PodTemplateHash { get; }

    /// <summary>The StatefulSet resource itself, for explicit dependencies of later steps.</summary>
    public StatefulSet StatefulSet { get; }

    public PostgresStatefulSet(string name, PostgresStatefulSetArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresStatefulSet", name, options)
    {
        var cluster = args.Cluster.Name;
        var ns = args.Cluster.Namespace;
        var names = new ResourceNames(cluster);
        var selector = Metadata.ToInputMap(Labels.Selector(cluster));

        var statefulSetOptions = ChildOptions.Of(this, options);
        // No destroy or replacement by accident (pgha:deletionProtection); the PVCs outlive it either way (Retain).
        statefulSetOptions.Protect = args.Cluster.DeletionProtection;
        // What the day-2 rollout changes on a running cluster, set here only when the StatefulSet is created:
        // - spec.replicas: Kubernetes would delete the highest ordinals at once, the primary among them if it sits
        //   there; the rollout switches over first, scales, and drops the departed members' slots. (With server-side
        //   apply an ignored field keeps its live value.)
        // - the claim template's size: pulumi-kubernetes treats spec.volumeClaimTemplates as force-new (its
        //   provider/pkg/provider/diff.go), so a new pgha:storageSize would replace the StatefulSet (every pod down at
        //   once) and still leave the existing volumes at their old size; Kubernetes itself refuses any update of the
        //   field. Instead the rollout gets the size (its storageSize input) and grows each member's claim in place.
        //   Trade-off: the template keeps the size the StatefulSet was created with, so a member added later starts
        //   from a claim of that size and the rollout grows it to the configured size (the plan shows it); and the
        //   stack's state shows the created size here, the configured one on the rollout. Only the size is ignored: a
        //   change of the StorageClass still shows as a replacement, which deletion protection refuses loudly.
        statefulSetOptions.IgnoreChanges = [StatefulSetReplicasPath, ClaimTemplateSizePath];
        StatefulSet = new StatefulSet(name, new StatefulSetArgs
        {
            Metadata = Metadata.For(names.StatefulSet, ns, cluster, "database"),
            Spec = new StatefulSetSpecArgs
            {
                Replicas = args.Cluster.Replicas,
                ServiceName = names.HeadlessService,
                // Parallel: a member whose node is gone must not stop the others from (re)starting.
                PodManagementPolicy = "Parallel",
                Selector = new LabelSelectorArgs { MatchLabels = selector },
                // OnDelete: a changed pod template restarts nothing by itself. Kubernetes' RollingUpdate would restart the
                // pods in ordinal order, the primary whenever its turn comes, without a switchover, possibly failing
                // over to a member restarted next; the rollout restarts replicas first, switches over once, then the
                // old primary.
                UpdateStrategy = new StatefulSetUpdateStrategyArgs { Type = "OnDelete" },
                // Volumes hold the data: neither deleting the StatefulSet nor scaling down deletes them.
                PersistentVolumeClaimRetentionPolicy = new StatefulSetPersistentVolumeClaimRetentionPolicyArgs
                {
                    WhenDeleted = "Retain",
                    WhenScaled = "Retain",
                },
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs
                    {
                        Labels = Metadata.ToInputMap(Labels.Common(cluster, "database")),
                        // What Patroni reads only at start: its change needs a restart, so it changes the template.
                        // The dynamic configuration is applied live and stays out of the template (ConfigMap).
                        Annotations = Annotations(args),
                    },
                    Spec = PodSpec(args, names),
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
                            StorageClassName = args.Storage.StorageClassName,
                            Resources = new VolumeResourceRequirementsArgs
                            {
                                Requests = { ["storage"] = args.Storage.Size },
                            },
                        },
                    },
                },
            },
        }, statefulSetOptions);

        _ = new PodDisruptionBudget(name, new PodDisruptionBudgetArgs
        {
            Metadata = Metadata.For(names.DisruptionBudget, ns, cluster, "database"),
            Spec = new PodDisruptionBudgetSpecArgs
            {
                MaxUnavailable = 1,
                Selector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(Labels.Selector(cluster)) },
            },
        }, ChildOptions.Of(this, options));

        StatefulSetName = StatefulSet.Metadata.Apply(m => m.Name);
        PodTemplateHash = Output.Tuple(args.Pod, Optional(args.CredentialsVersion), Optional(args.CertificateFingerprint))
            .Apply(t => PodTemplateFingerprint.Of(t.Item1, args.Patroni, args.Backup, args.Scheduling, t.Item2, t.Item3));
        RegisterOutputs(new Dictionary<string, object?> { ["statefulSetName"] = StatefulSetName });
    }

    private static Output<string?> Optional(Output<string>? value) => value?.Apply(v => (string?)v) ?? Output.Create((string?)null);

    /// <summary>What the pods get only at start, as fingerprints: Patroni's local configuration, the members' credentials and the server certificate.</summary>
    private static InputMap<string> Annotations(PostgresStatefulSetArgs args)
    {
        var annotations = new InputMap<string>
        {
            [SpiloEnvironment.LocalConfigurationAnnotation] = SpiloEnvironment.LocalConfigurationFingerprint(args.Patroni, args.Backup),
        };
        if (args.CredentialsVersion is { } credentials)
        {
            annotations[CredentialVersions.PodTemplateAnnotation] = credentials;
        }

        if (args.CertificateFingerprint is { } certificate)
        {
            annotations[ClusterTls.PodTemplateAnnotation] = certificate;
        }

        return annotations;
    }

    private static PodSpecArgs PodSpec(PostgresStatefulSetArgs args, ResourceNames names)
    {
        var cluster = args.Cluster.Name;
        return new PodSpecArgs
        {
            ServiceAccountName = names.ServiceAccount,
            TerminationGracePeriodSeconds = PodDefaults.TerminationGracePeriodSeconds(args.Patroni),
            SecurityContext = PodSpecParts.NonRootPod(),
            Affinity = new AffinityArgs { PodAntiAffinity = AntiAffinity(cluster, args.Scheduling.AntiAffinity) },
            TopologySpreadConstraints = ZoneSpread(cluster, args.Scheduling.ZoneSpread),
            Containers = PodInputs.Containers(args.Pod),
            Volumes = PodInputs.Volumes(args.Pod),
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
