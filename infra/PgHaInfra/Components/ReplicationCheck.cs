using System.Collections.Immutable;
using PgHa.Core.Verification;
using Pulumi;
using In = PgHa.Core.Verification.ReplicationCheckContract.InputName;
using Out = PgHa.Core.Verification.ReplicationCheckContract.OutputName;

namespace PgHa.Infra.Components;

/// <summary>
/// The post-deploy replication check, served by our own provider plugin (infra/PgHa.Provider): after every change
/// of the StatefulSet it proves one primary, streaming replicas within the lag limit, healthy slots and correct
/// Service endpoints, or fails the deployment saying what is wrong. Its inputs and outputs are declared in
/// <see cref="ReplicationCheckContract"/>, which the provider serves its schema from.
/// </summary>
[ResourceType(ReplicationCheckContract.ResourceType, null)]
public sealed class ReplicationCheck : CustomResource
{
    [Output(Out.Primary)] public Output<string> Primary { get; private set; } = null!;
    [Output(Out.Replicas)] public Output<ImmutableArray<ImmutableDictionary<string, object>>> Replicas { get; private set; } = null!;
    [Output(Out.SlotNames)] public Output<ImmutableArray<string>> SlotNames { get; private set; } = null!;
    [Output(Out.Timeline)] public Output<int> Timeline { get; private set; } = null!;
    [Output(Out.CheckedAt)] public Output<string> CheckedAt { get; private set; } = null!;

    /// <summary>The primary's WAL archiving (counts and last success/failure) when backups are on; null otherwise.</summary>
    [Output(Out.Archiving)] public Output<string?> Archiving { get; private set; } = null!;

    /// <summary>The migration report (source, tables, rows, durationSeconds, finishedAt) when <see cref="ReplicationCheckArgs.ReportDatabase"/> was set.</summary>
    [Output(Out.Migration)] public Output<ImmutableDictionary<string, object>?> Migration { get; private set; } = null!;

    public ReplicationCheck(string name, ReplicationCheckArgs args, CustomResourceOptions? options = null)
        : base(ReplicationCheckContract.ResourceType, name, args, options)
    {
    }
}

public sealed class ReplicationCheckArgs : ResourceArgs
{
    [Input(In.Namespace, required: true)] public Input<string> Namespace { get; set; } = null!;
    [Input(In.StatefulSetName, required: true)] public Input<string> StatefulSetName { get; set; } = null!;
    [Input(In.HeadlessServiceName, required: true)] public Input<string> HeadlessServiceName { get; set; } = null!;
    [Input(In.ReadWriteServiceName, required: true)] public Input<string> ReadWriteServiceName { get; set; } = null!;
    [Input(In.ReadOnlyServiceName, required: true)] public Input<string> ReadOnlyServiceName { get; set; } = null!;
    [Input(In.Replicas, required: true)] public Input<int> Replicas { get; set; } = null!;
    [Input(In.MaxLagBytes, required: true)] public Input<double> MaxLagBytes { get; set; } = null!;
    [Input(In.TimeoutSeconds, required: true)] public Input<int> TimeoutSeconds { get; set; } = null!;
    /// <summary>Optional: portForward (the default) or direct.</summary>
    [Input(In.ConnectionMode)] public Input<string>? ConnectionMode { get; set; }
    /// <summary>The Secret (in <see cref="Namespace"/>) whose role the check connects as; the provider reads it when the check runs.</summary>
    [Input(In.CredentialsSecretName, required: true)] public Input<string> CredentialsSecretName { get; set; } = null!;

    /// <summary>Optional: the cluster's CA; with it the check verifies each member's certificate.</summary>
    [Input(In.CaCertificate)] public Input<string>? CaCertificate { get; set; }

    private Input<string>? _kubeconfig;

    /// <summary>Optional: without it (and without <see cref="KubeContext"/>) the ambient kubeconfig is used.</summary>
    [Input(In.Kubeconfig)]
    public Input<string>? Kubeconfig
    {
        get => _kubeconfig;
        set => _kubeconfig = value is null ? null : (Input<string>)Output.CreateSecret(value.ToOutput())!;
    }

    [Input(In.KubeContext)] public Input<string>? KubeContext { get; set; }

    /// <summary>Optional: also read the migration report from this database on the primary (and fail when there is none).</summary>
    [Input(In.ReportDatabase)] public Input<string>? ReportDatabase { get; set; }

    /// <summary>Backups are on: also prove the primary archives WAL without failures.</summary>
    [Input(In.ExpectArchiving)] public Input<bool>? ExpectArchiving { get; set; }

    /// <summary>Changes whenever the StatefulSet's spec changes (its uid and generation), so every rollout is re-verified.</summary>
    [Input(In.Trigger, required: true)] public Input<string> Trigger { get; set; } = null!;
}
