using PgHa.Core.Verification;

namespace PgHa.Core.DayTwo;

/// <summary>
/// The day-2 rollout as a Pulumi resource of our provider, declared once: its type token and every input and output.
/// The provider (infra/PgHa.Provider) serves its schema and checks its inputs from this; the program's component
/// (ClusterRollout) names its inputs and outputs from it. Inputs carry what the desired state needs, never a password:
/// a credential is given as a fingerprint of its Secret's version.
/// </summary>
public static class ClusterRolloutContract
{
    public const string ResourceType = "pgha:index:ClusterRollout";

    public static class InputName
    {
        public const string Namespace = "namespace";
        public const string StatefulSetName = "statefulSetName";
        public const string PodTemplateHash = "podTemplateHash";
        public const string PatroniConfiguration = "patroniConfiguration";
        public const string StorageSize = "storageSize";
        public const string Replicas = "replicas";
        public const string ReadinessMaxLagBytes = "readinessMaxLagBytes";
        public const string MemberTimeoutSeconds = "memberTimeoutSeconds";
        public const string AppDeployments = "appDeployments";
        public const string CredentialVersions = "credentialVersions";
        public const string Kubeconfig = "kubeconfig";
        public const string KubeContext = "kubeContext";
    }

    public static class OutputName
    {
        public const string AppliedPodTemplateHash = "appliedPodTemplateHash";
        public const string Primary = "primary";
        public const string LastPlan = "lastPlan";
        public const string AppliedAt = "appliedAt";
    }

    public static IReadOnlyList<ContractProperty> Inputs { get; } =
    [
        new(InputName.Namespace, ContractValueType.String, "Namespace of the cluster.", Required: true),
        new(InputName.StatefulSetName, ContractValueType.String, "The StatefulSet whose pods <name>-0, <name>-1, ... are the members.", Required: true),
        new(InputName.PodTemplateHash, ContractValueType.String,
            "A fingerprint of the StatefulSet's pod template: when it changes, every member is restarted in the database's order.", Required: true),
        new(InputName.PatroniConfiguration, ContractValueType.String,
            "Patroni's dynamic configuration as JSON (what PATCH /config takes): compared with GET /config and applied live.", Required: true),
        new(InputName.StorageSize, ContractValueType.String, "Each member's volume size (a Kubernetes quantity); claims grow to it in place, never shrink.",
            Required: true),
        new(InputName.Replicas, ContractValueType.Integer, "Members the cluster must have.", Required: true, Minimum: 2, Maximum: 9),
        new(InputName.ReadinessMaxLagBytes, ContractValueType.Number, "How far behind a restarted member may be and count as back, in bytes.",
            Required: true, Minimum: 0, Maximum: 1_000_000_000_000_000),
        new(InputName.MemberTimeoutSeconds, ContractValueType.Integer,
            "How long a restarted member may take to be back, streaming and caught up before the rollout stops.", Required: true, Minimum: 30, Maximum: 7200),
        new(InputName.AppDeployments, ContractValueType.StringArray, "namespace/name of each app Deployment restarted after the app password rotates."),
        new(InputName.CredentialVersions, ContractValueType.String,
            "JSON: per role (superuser, replication, app) the Secret that holds it, its username and a fingerprint of its Secret's version; never a password.", Secret: true),
        new(InputName.Kubeconfig, ContractValueType.String, "A kubeconfig document to reach the cluster with; without it (and kubeContext) the ambient kubeconfig.",
            Secret: true),
        new(InputName.KubeContext, ContractValueType.String, "The kubeconfig context to reach the cluster with."),
    ];

    public static IReadOnlyList<ContractProperty> Outputs { get; } =
    [
        new(OutputName.AppliedPodTemplateHash, ContractValueType.String, "The pod template fingerprint every member runs since the last rollout.", Required: true),
        new(OutputName.Primary, ContractValueType.String, "The primary after the last rollout; empty when not known yet."),
        new(OutputName.LastPlan, ContractValueType.StringArray, "The steps of the last rollout, one line per kind of change.", Required: true),
        new(OutputName.AppliedAt, ContractValueType.String, "When the last rollout finished (ISO 8601).", Required: true),
    ];

    public static ContractProperty Input(string name) =>
        Inputs.FirstOrDefault(i => i.Name == name) ?? throw new ArgumentException($"the cluster rollout has no input {name}", nameof(name));
}
