using System.Collections.Immutable;
using PgHa.Core.DayTwo;
using Pulumi;
using In = PgHa.Core.DayTwo.ClusterRolloutContract.InputName;
using Out = PgHa.Core.DayTwo.ClusterRolloutContract.OutputName;

namespace PgHa.Infra.Components;

/// <summary>
/// The day-2 rollout, served by our own provider plugin (infra/PgHa.Provider): on every <c>pulumi up</c> of a running
/// cluster it brings the cluster to the settings the way the database wants it (volumes grown in place, Patroni
/// settings applied live, passwords set on the roles first, replicas restarted one at a time, one switchover, the old
/// primary last); <c>pulumi preview</c> shows the planned steps without touching the cluster. Its inputs and outputs are
/// declared in <see cref="ClusterRolloutContract"/>.
/// </summary>
[ResourceType(ClusterRolloutContract.ResourceType, null)]
public sealed class ClusterRollout : CustomResource
{
    [Output(Out.AppliedPodTemplateHash)] public Output<string> AppliedPodTemplateHash { get; private set; } = null!;
    [Output(Out.Primary)] public Output<string> Primary { get; private set; } = null!;
    [Output(Out.LastPlan)] public Output<ImmutableArray<string>> LastPlan { get; private set; } = null!;
    [Output(Out.AppliedAt)] public Output<string> AppliedAt { get; private set; } = null!;

    public ClusterRollout(string name, ClusterRolloutArgs args, CustomResourceOptions? options = null)
        : base(ClusterRolloutContract.ResourceType, name, args, options)
    {
    }
}

public sealed class ClusterRolloutArgs : ResourceArgs
{
    [Input(In.Namespace, required: true)] public Input<string> Namespace { get; set; } = null!;
    [Input(In.StatefulSetName, required: true)] public Input<string> StatefulSetName { get; set; } = null!;
    [Input(In.PodTemplateHash, required: true)] public Input<string> PodTemplateHash { get; set; } = null!;
    [Input(In.PatroniConfiguration, required: true)] public Input<string> PatroniConfiguration { get; set; } = null!;
    [Input(In.StorageSize, required: true)] public Input<string> StorageSize { get; set; } = null!;
    [Input(In.Replicas, required: true)] public Input<int> Replicas { get; set; } = null!;
    [Input(In.ReadinessMaxLagBytes, required: true)] public Input<double> ReadinessMaxLagBytes { get; set; } = null!;
    [Input(In.MemberTimeoutSeconds, required: true)] public Input<int> MemberTimeoutSeconds { get; set; } = null!;
    [Input(In.AppDeployments)] public InputList<string> AppDeployments { get; set; } = [];

    private Input<string>? _credentialVersions;

    /// <summary>Per role its username and a fingerprint of its Secret's version (a Pulumi secret; never the password).</summary>
    [Input(In.CredentialVersions)]
    public Input<string>? CredentialVersions
    {
        get => _credentialVersions;
        set => _credentialVersions = value is null ? null : (Input<string>)Output.CreateSecret(value.ToOutput())!;
    }

    private Input<string>? _kubeconfig;

    [Input(In.Kubeconfig)]
    public Input<string>? Kubeconfig
    {
        get => _kubeconfig;
        set => _kubeconfig = value is null ? null : (Input<string>)Output.CreateSecret(value.ToOutput())!;
    }

    [Input(In.KubeContext)] public Input<string>? KubeContext { get; set; }
}
