using System.Collections.Immutable;
using System.Globalization;
using PgHa.Core.Tls;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Input = PgHa.Core.Tls.ClusterCertificatesContract.InputName;
using Output = PgHa.Core.Tls.ClusterCertificatesContract.OutputName;

namespace PgHa.Provider;

/// <summary>
/// <c>pgha:index:ClusterCertificates</c>: the cluster's CA, server certificate and operator client certificate, issued on create and kept in Pulumi
/// state. A refresh keeps them; a diff asks for a change only when <see cref="CertificateRenewal"/> says so (the names
/// changed, or the server certificate or the CA is within its renewal window): a new server certificate under the same CA
/// is an update, a new CA a replacement. Nothing is created in the cluster; the private keys are secret outputs.
/// </summary>
public sealed class ClusterCertificatesProvider(TimeProvider clock, Action<string>? log = null) : Pulumi.Experimental.Provider.Provider
{
    public const string ResourceType = ClusterCertificatesContract.ResourceType;

    private static readonly string[] OutputNames = [.. ClusterCertificatesContract.Outputs.Select(o => o.Name)];

    public override Task<GetSchemaResponse> GetSchema(GetSchemaRequest request, CancellationToken ct) =>
        Task.FromResult(new GetSchemaResponse { Schema = PackageSchema.Json(ReplicationCheckProvider.Version) });

    public override Task<CheckResponse> Check(CheckRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        if (request.NewInputs.Values.Any(v => v.IsComputed))
        {
            return Task.FromResult(new CheckResponse { Inputs = request.NewInputs, Failures = [] });
        }

        var (_, failures) = ClusterCertificatesInputs.Parse(request.NewInputs);
        return Task.FromResult(new CheckResponse { Inputs = request.NewInputs, Failures = failures });
    }

    public override Task<DiffResponse> Diff(DiffRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        if (request.NewInputs.Values.Any(v => v.IsComputed))
        {
            // Unknown names during preview: the names decide, so the certificate may change.
            return Task.FromResult(new DiffResponse { Changes = true, Diffs = [Input.DnsNames], Replaces = [] });
        }

        var decision = Decide(request.OldOutputs, request.NewInputs);
        log?.Invoke($"{request.Name}: {decision.Action}: {decision.Reason}");
        return Task.FromResult(decision.Action switch
        {
            RenewalAction.Keep => new DiffResponse { Changes = false, Diffs = [], Replaces = [] },
            RenewalAction.ReissueServer => new DiffResponse { Changes = true, Diffs = [Input.DnsNames], Replaces = [] },
            // A new CA is a new identity: clients must be handed the new CA, so it shows as a replacement.
            _ => new DiffResponse { Changes = true, Diffs = [Input.DnsNames], Replaces = [Input.CommonName] },
        });
    }

    public override Task<CreateResponse> Create(CreateRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        var inputs = Parsed(request.Inputs);
        if (request.Preview)
        {
            return Task.FromResult(new CreateResponse { Id = request.Name, Outputs = OutputNames.ToDictionary(n => n, _ => PropertyValue.Computed) });
        }

        var issued = ClusterCertificateIssuer.Issue(inputs.CommonName, inputs.DnsNames, inputs.Lifetime, clock.GetUtcNow());
        log?.Invoke($"{request.Name}: issued a CA and a {issued}");
        return Task.FromResult(new CreateResponse { Id = request.Name, Outputs = Outputs(issued, inputs.DnsNames) });
    }

    public override Task<UpdateResponse> Update(UpdateRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        var inputs = Parsed(request.NewInputs);
        var decision = Decide(request.OldOutputs, request.NewInputs);
        if (decision.Action == RenewalAction.Keep)
        {
            return Task.FromResult(new UpdateResponse { Outputs = request.OldOutputs });
        }

        if (request.Preview)
        {
            // The CA stays: what clients trust is known already; the server certificate is known once issued.
            var outputs = OutputNames.ToDictionary(n => n, _ => PropertyValue.Computed);
            outputs[Output.CaCertificate] = request.OldOutputs[Output.CaCertificate];
            outputs[Output.CaPrivateKey] = request.OldOutputs[Output.CaPrivateKey];
            outputs[Output.CaNotAfter] = request.OldOutputs[Output.CaNotAfter];
            return Task.FromResult(new UpdateResponse { Outputs = outputs });
        }

        var issued = ClusterCertificateIssuer.IssueServer(Text(request.OldOutputs, Output.CaCertificate), Text(request.OldOutputs, Output.CaPrivateKey),
            inputs.CommonName, inputs.DnsNames, inputs.Lifetime, clock.GetUtcNow());
        log?.Invoke($"{request.Name}: {decision.Reason}: issued a {issued}");
        return Task.FromResult(new UpdateResponse { Outputs = Outputs(issued, inputs.DnsNames) });
    }

    /// <summary>`pulumi refresh`: the certificates live only in state, so they are what the state says.</summary>
    public override Task<ReadResponse> Read(ReadRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        return Task.FromResult(new ReadResponse { Id = request.Id, Inputs = request.Inputs, Outputs = request.Outputs });
    }

    /// <summary>Nothing to delete: the certificates exist only in state (and in the Secret the program makes of them).</summary>
    public override Task Delete(DeleteRequest request, CancellationToken ct) => Task.CompletedTask;

    private RenewalDecision Decide(ImmutableDictionary<string, PropertyValue> oldOutputs, ImmutableDictionary<string, PropertyValue> newInputs)
    {
        var inputs = Parsed(newInputs);
        if (!oldOutputs.TryGetValue(Output.DnsNames, out var issuedValue) || !issuedValue.TryGetArray(out var issued)
            || !DateTimeOffset.TryParse(Text(oldOutputs, Output.NotAfter), CultureInfo.InvariantCulture, DateTimeStyles.None, out var notAfter)
            || !DateTimeOffset.TryParse(Text(oldOutputs, Output.CaNotAfter), CultureInfo.InvariantCulture, DateTimeStyles.None, out var caNotAfter))
        {
            return new RenewalDecision(RenewalAction.ReplaceCa, "the state holds no complete certificates");
        }

        var issuedNames = issued.Select(v => v.TryGetString(out var s) ? s : string.Empty).ToArray();
        if (Text(oldOutputs, Output.OperatorCertificate).Length == 0 || Text(oldOutputs, Output.OperatorPrivateKey).Length == 0)
        {
            // State from before the operator certificate existed: issue it (with a new server certificate) under the same CA.
            var keep = CertificateRenewal.Decide(issuedNames, inputs.DnsNames.ToArray(), notAfter, caNotAfter, inputs.Lifetime.RenewBefore, clock.GetUtcNow());
            return keep.Action == RenewalAction.ReplaceCa ? keep : new RenewalDecision(RenewalAction.ReissueServer, "the state holds no operator client certificate");
        }

        return CertificateRenewal.Decide(issuedNames, inputs.DnsNames.ToArray(), notAfter, caNotAfter, inputs.Lifetime.RenewBefore, clock.GetUtcNow());
    }

    private static ClusterCertificatesInputs Parsed(ImmutableDictionary<string, PropertyValue> properties)
    {
        var (inputs, failures) = ClusterCertificatesInputs.Parse(properties);
        return inputs ?? throw new InvalidOperationException(
            "invalid ClusterCertificates inputs: " + string.Join("; ", failures.Select(f => $"{f.Property}: {f.Reason}")));
    }

    private static string Text(ImmutableDictionary<string, PropertyValue> properties, string name) =>
        properties.TryGetValue(name, out var value) && value.TryGetString(out var text) ? text : string.Empty;

    internal static IDictionary<string, PropertyValue> Outputs(IssuedCertificates issued, IReadOnlyList<string> dnsNames) => new Dictionary<string, PropertyValue>
    {
        [Output.CaCertificate] = new(issued.CaCertificatePem),
        [Output.CaPrivateKey] = new(issued.CaPrivateKeyPem) { IsSecret = true },
        [Output.Certificate] = new(issued.CertificatePem),
        [Output.PrivateKey] = new(issued.PrivateKeyPem) { IsSecret = true },
        [Output.NotAfter] = new(issued.NotAfter.ToString("O", CultureInfo.InvariantCulture)),
        [Output.CaNotAfter] = new(issued.CaNotAfter.ToString("O", CultureInfo.InvariantCulture)),
        [Output.DnsNames] = new(dnsNames.Select(n => new PropertyValue(n)).ToImmutableArray()),
        [Output.OperatorCertificate] = new(issued.OperatorCertificatePem),
        [Output.OperatorPrivateKey] = new(issued.OperatorPrivateKeyPem) { IsSecret = true },
    };

    private static void EnsureType(string type)
    {
        if (type != ResourceType)
        {
            throw new NotSupportedException($"this part of the pgha provider serves {ResourceType}; it was asked for {type}");
        }
    }
}
