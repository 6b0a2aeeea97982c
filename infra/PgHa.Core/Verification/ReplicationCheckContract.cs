using PgHa.Core.Settings;

namespace PgHa.Core.Verification;

/// <summary>
/// The post-deploy replication check as a Pulumi resource, declared once: its type token, every input and output with
/// its type, meaning and limits. The provider (infra/PgHa.Provider) serves its schema, checks and diffs from this; the
/// program's component (ReplicationCheck) names its inputs and outputs from it; the tests hold the three together.
/// </summary>
public static class ReplicationCheckContract
{
    public const string ResourceType = "pgha:index:ReplicationCheck";

    /// <summary>The package the resource belongs to (the provider plugin's name).</summary>
    public const string Package = "pgha";

    /// <summary>The names of the inputs (constants, so the component's attributes can use them).</summary>
    public static class InputName
    {
        public const string Namespace = "namespace";
        public const string StatefulSetName = "statefulSetName";
        public const string HeadlessServiceName = "headlessServiceName";
        public const string ReadWriteServiceName = "readWriteServiceName";
        public const string ReadOnlyServiceName = "readOnlyServiceName";
        public const string Replicas = "replicas";
        public const string MaxLagBytes = "maxLagBytes";
        public const string TimeoutSeconds = "timeoutSeconds";
        public const string ConnectionMode = "connectionMode";
        public const string CredentialsSecretName = "credentialsSecretName";
        public const string CaCertificate = "caCertificate";
        public const string Kubeconfig = "kubeconfig";
        public const string KubeContext = "kubeContext";
        public const string ReportDatabase = "reportDatabase";
        public const string ExpectArchiving = "expectArchiving";
        public const string Trigger = "trigger";
    }

    /// <summary>The names of the outputs and of the fields of the objects among them.</summary>
    public static class OutputName
    {
        public const string Primary = "primary";
        public const string Replicas = "replicas";
        public const string SlotNames = "slotNames";
        public const string Timeline = "timeline";
        public const string CheckedAt = "checkedAt";
        public const string Archiving = "archiving";
        public const string Migration = "migration";

        public const string ReplicaName = "name";
        public const string ReplicaState = "state";
        public const string ReplicaReplayLagBytes = "replayLagBytes";
        public const string ReplicaSlot = "slot";
        public const string ReplicaSlotActive = "slotActive";

        public const string MigrationSource = "source";
        public const string MigrationTables = "tables";
        public const string MigrationRows = "rows";
        public const string MigrationDurationSeconds = "durationSeconds";
        public const string MigrationFinishedAt = "finishedAt";
    }

    /// <summary>How the check reaches the pods, as the input <c>connectionMode</c> spells each way.</summary>
    public static string ConnectionModeName(CheckConnectionMode mode) => mode switch
    {
        CheckConnectionMode.PortForward => "portForward",
        CheckConnectionMode.Direct => "direct",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "no such connection mode"),
    };

    /// <summary>The mode a spelling names; null for anything else.</summary>
    public static CheckConnectionMode? ParseConnectionMode(string name) =>
        Enum.GetValues<CheckConnectionMode>().Select(m => (CheckConnectionMode?)m).FirstOrDefault(m => ConnectionModeName(m!.Value) == name);

    private static readonly string[] ConnectionModes = Enum.GetValues<CheckConnectionMode>().Select(ConnectionModeName).ToArray();

    /// <summary>Every input, in the order the provider reports them.</summary>
    public static IReadOnlyList<ContractProperty> Inputs { get; } =
    [
        new(InputName.Namespace, ContractValueType.String, "Namespace of the cluster.", Required: true),
        new(InputName.StatefulSetName, ContractValueType.String, "The StatefulSet whose pods <name>-0, <name>-1, ... are the members.", Required: true),
        new(InputName.HeadlessServiceName, ContractValueType.String, "The headless Service (pod DNS names in direct mode).", Required: true),
        new(InputName.ReadWriteServiceName, ContractValueType.String, "The read-write Service: must point at the primary only.", Required: true),
        new(InputName.ReadOnlyServiceName, ContractValueType.String, "The read-only Service: must point at the replicas only.", Required: true),
        new(InputName.Replicas, ContractValueType.Integer, "Members the cluster must have.", Required: true, Minimum: 2, Maximum: 9),
        new(InputName.MaxLagBytes, ContractValueType.Number, "Most replay lag a replica may have, in bytes.", Required: true, Minimum: 0, Maximum: 1_000_000_000_000_000),
        new(InputName.TimeoutSeconds, ContractValueType.Integer, "How long to keep checking (pods may still be joining after a rollout) before failing.",
            Required: true, Minimum: 1, Maximum: 3600),
        new(InputName.ConnectionMode, ContractValueType.String,
            "How the check reaches the pods: portForward (through the Kubernetes API, from anywhere) or direct (cluster DNS, from inside the cluster).",
            Default: ConnectionModeName(CheckConnectionMode.PortForward), AllowedValues: ConnectionModes),
        new(InputName.CredentialsSecretName, ContractValueType.String,
            "The Secret in the cluster's namespace (keys username and password) of the role the check connects as (the monitoring role, " +
            "pg_monitor). Read through the Kubernetes API each time the check runs: no password is an input or in the state.", Required: true),
        new(InputName.CaCertificate, ContractValueType.String,
            "The cluster's CA (PEM): every connection then verifies the member's certificate (it chains to this CA and names the member's " +
            "pod DNS name <pod>.<headless>.<namespace>.svc.cluster.local), through a port-forward too. Without it TLS is required but not verified."),
        new(InputName.Kubeconfig, ContractValueType.String, "A kubeconfig document to reach the cluster with; without it (and kubeContext) the ambient kubeconfig.",
            Secret: true),
        new(InputName.KubeContext, ContractValueType.String, "The kubeconfig context to reach the cluster with."),
        new(InputName.ReportDatabase, ContractValueType.String,
            "Also read the migration report from this database on the primary, and fail when there is none."),
        new(InputName.ExpectArchiving, ContractValueType.Boolean, "Backups are on: also prove the primary archives WAL without failures.", Default: "false"),
        new(InputName.Trigger, ContractValueType.String,
            "Changes whenever the StatefulSet's spec changes (its uid and generation), so every rollout is verified again.", Required: true),
    ];

    /// <summary>Every output; the required ones are set on every successful check.</summary>
    public static IReadOnlyList<ContractProperty> Outputs { get; } =
    [
        new(OutputName.Primary, ContractValueType.String, "The pod that is the primary.", Required: true),
        new(OutputName.Replicas, ContractValueType.ObjectArray, "Each replica: its replication state, replay lag and slot on the primary.", Required: true,
            TypeName: "ReplicaReport", Fields:
            [
                new(OutputName.ReplicaName, ContractValueType.String, "The replica's pod.", Required: true),
                new(OutputName.ReplicaState, ContractValueType.String, "Its state in pg_stat_replication (streaming).", Required: true),
                new(OutputName.ReplicaReplayLagBytes, ContractValueType.Number, "Bytes it is behind the primary; null when unknown."),
                new(OutputName.ReplicaSlot, ContractValueType.String, "Its physical slot on the primary; null when there is none."),
                new(OutputName.ReplicaSlotActive, ContractValueType.Boolean, "Whether the slot is in use.", Required: true),
            ]),
        new(OutputName.SlotNames, ContractValueType.StringArray, "The replicas' slots on the primary.", Required: true),
        new(OutputName.Timeline, ContractValueType.Integer, "The primary's timeline."),
        new(OutputName.CheckedAt, ContractValueType.String, "When the check passed (ISO 8601).", Required: true),
        new(OutputName.Archiving, ContractValueType.String, "The primary's WAL archiving (counts, last success and failure) when backups are on; null otherwise."),
        new(OutputName.Migration, ContractValueType.Object, "The migration report when reportDatabase was set; null otherwise.", TypeName: "MigrationReport", Fields:
            [
                new(OutputName.MigrationSource, ContractValueType.String, "The database migrated from.", Required: true),
                new(OutputName.MigrationTables, ContractValueType.Integer, "Tables copied.", Required: true),
                new(OutputName.MigrationRows, ContractValueType.Number, "Rows copied.", Required: true),
                new(OutputName.MigrationDurationSeconds, ContractValueType.Integer, "How long the copy took.", Required: true),
                new(OutputName.MigrationFinishedAt, ContractValueType.String, "When it finished (ISO 8601).", Required: true),
            ]),
    ];

    /// <summary>The input named <paramref name="name"/>.</summary>
    public static ContractProperty Input(string name) =>
        Inputs.FirstOrDefault(i => i.Name == name) ?? throw new ArgumentException($"the replication check has no input {name}", nameof(name));
}
