using System.Collections.Immutable;
using PgHa.Core.Tls;
using Pulumi;
using In = PgHa.Core.Tls.ClusterCertificatesContract.InputName;
using Out = PgHa.Core.Tls.ClusterCertificatesContract.OutputName;

namespace PgHa.Infra.Components;

/// <summary>
/// The cluster's CA, server certificate and operator client certificate, served by our provider plugin (infra/PgHa.Provider): issued once, kept in
/// Pulumi state, renewed only before expiry or when the names change. Declared in <see cref="ClusterCertificatesContract"/>.
/// The private keys are secret outputs.
/// </summary>
[ResourceType(ClusterCertificatesContract.ResourceType, null)]
public sealed class ClusterCertificates : CustomResource
{
    [Output(Out.CaCertificate)] public Output<string> CaCertificate { get; private set; } = null!;
    [Output(Out.CaPrivateKey)] public Output<string> CaPrivateKey { get; private set; } = null!;
    [Output(Out.Certificate)] public Output<string> Certificate { get; private set; } = null!;
    [Output(Out.PrivateKey)] public Output<string> PrivateKey { get; private set; } = null!;
    [Output(Out.NotAfter)] public Output<string> NotAfter { get; private set; } = null!;
    [Output(Out.CaNotAfter)] public Output<string> CaNotAfter { get; private set; } = null!;
    [Output(Out.DnsNames)] public Output<ImmutableArray<string>> DnsNames { get; private set; } = null!;
    [Output(Out.OperatorCertificate)] public Output<string> OperatorCertificate { get; private set; } = null!;
    [Output(Out.OperatorPrivateKey)] public Output<string> OperatorPrivateKey { get; private set; } = null!;

    public ClusterCertificates(string name, ClusterCertificatesArgs args, CustomResourceOptions? options = null)
        : base(ClusterCertificatesContract.ResourceType, name, args, Secret(options))
    {
    }

    /// <summary>The keys are secret in state even if a provider forgot to say so.</summary>
    private static CustomResourceOptions Secret(CustomResourceOptions? options)
    {
        var merged = options ?? new CustomResourceOptions();
        merged.AdditionalSecretOutputs = [.. merged.AdditionalSecretOutputs ?? [], Out.PrivateKey, Out.CaPrivateKey, Out.OperatorPrivateKey];
        return merged;
    }
}

public sealed class ClusterCertificatesArgs : ResourceArgs
{
    [Input(In.CommonName, required: true)] public Input<string> CommonName { get; set; } = null!;
    [Input(In.DnsNames, required: true)] public InputList<string> DnsNames { get; set; } = null!;
    [Input(In.ValidityDays, required: true)] public Input<int> ValidityDays { get; set; } = null!;
    [Input(In.RenewBeforeDays, required: true)] public Input<int> RenewBeforeDays { get; set; } = null!;
}
