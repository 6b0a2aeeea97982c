using System.Collections.Immutable;
using Pulumi;

namespace PgHa.Infra.Components;

/// <summary>
/// The post-deploy replication check, served by our own provider plugin (infra/PgHa.Provider): after every change
/// of the StatefulSet it proves one primary, streaming replicas within the lag limit, healthy slots and correct
/// Service endpoints, or fails the deployment saying what is wrong.
/// </summary>
[ResourceType("pgha:index:ReplicationCheck", null)]
public sealed class ReplicationCheck : CustomResource
{
    [Output("primary")] public Output<string> Primary { get; private set; } = null!;
    [Output("replicas")] public Output<ImmutableArray<ImmutableDictionary<string, object>>> Replicas { get; private set; } = null!;
    [Output("slotNames")] public Output<ImmutableArray<string>> SlotNames { get; private set; } = null!;
    [Output("timeline")] public Output<int> Timeline { get; private set; } = null!;
    [Output("checkedAt")] public Output<string> CheckedAt { get; private set; } = null!;

    /// <summary>The primary's WAL archiving (counts and last success/failure) when backups are on; null otherwise.</summary>
    [Output("archiving")] public Output<string?> Archiving { get; private set; } = null!;

    /// <summary>The migration report (source, tables, rows, durationSeconds, finishedAt) when <see cref="ReplicationCheckArgs.ReportDatabase"/> was set.</summary>
    [Output("migration")] public Output<ImmutableDictionary<string, object>?> Migration { get; private set; } = null!;

    public ReplicationCheck(string name, ReplicationCheckArgs args, CustomResourceOptions? options = null)
        : base("pgha:index:ReplicationCheck", name, args, options)
    {
    }
}

public sealed class ReplicationCheckArgs : ResourceArgs
{
    [Input("namespace", required: true)] public Input<string> Namespace { get; set; } = null!;
    [Input("statefulSetName", required: true)] public Input<string> StatefulSetName { get; set; } = null!;
    [Input("headlessServiceName", required: true)] public Input<string> HeadlessServiceName { get; set; } = null!;
    [Input("readWriteServiceName", required: true)] public Input<string> ReadWriteServiceName { get; set; } = null!;
    [Input("readOnlyServiceName", required: true)] public Input<string> ReadOnlyServiceName { get; set; } = null!;
    [Input("replicas", required: true)] public Input<int> Replicas { get; set; } = null!;
    [Input("maxLagBytes", required: true)] public Input<double> MaxLagBytes { get; set; } = null!;
    [Input("timeoutSeconds", required: true)] public Input<int> TimeoutSeconds { get; set; } = null!;
    [Input("connectionMode", required: true)] public Input<string> ConnectionMode { get; set; } = null!;
    [Input("username", required: true)] public Input<string> Username { get; set; } = null!;

    private Input<string>? _password;

    [Input("password", required: true)]
    public Input<string>? Password
    {
        get => _password;
        set => _password = value is null ? null : (Input<string>)Output.CreateSecret(value.ToOutput())!;
    }

    private Input<string>? _kubeconfig;

    /// <summary>Optional: without it (and without <see cref="KubeContext"/>) the ambient kubeconfig is used.</summary>
    [Input("kubeconfig")]
    public Input<string>? Kubeconfig
    {
        get => _kubeconfig;
        set => _kubeconfig = value is null ? null : (Input<string>)Output.CreateSecret(value.ToOutput())!;
    }

    [Input("kubeContext")] public Input<string>? KubeContext { get; set; }

    /// <summary>Optional: also read the migration report from this database on the primary (and fail when there is none).</summary>
    [Input("reportDatabase")] public Input<string>? ReportDatabase { get; set; }

    /// <summary>Backups are on: also prove the primary archives WAL without failures.</summary>
    [Input("expectArchiving")] public Input<bool>? ExpectArchiving { get; set; }

    /// <summary>Changes whenever the StatefulSet's spec changes (its uid and generation), so every rollout is re-verified.</summary>
    [Input("trigger", required: true)] public Input<string> Trigger { get; set; } = null!;
}
