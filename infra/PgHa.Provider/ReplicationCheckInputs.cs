using System.Collections.Immutable;
using PgHa.Core.Settings;
using PgHa.Core.Verification;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Input = PgHa.Core.Verification.ReplicationCheckContract.InputName;

namespace PgHa.Provider;

/// <summary>The ReplicationCheck resource's inputs, parsed and validated against <see cref="ReplicationCheckContract.Inputs"/>.</summary>
public sealed record ReplicationCheckInputs(
    string Namespace,
    string StatefulSetName,
    string HeadlessServiceName,
    string ReadWriteServiceName,
    string ReadOnlyServiceName,
    int Replicas,
    long MaxLagBytes,
    int TimeoutSeconds,
    CheckConnectionMode ConnectionMode,
    string CredentialsSecretName,
    string? Kubeconfig,
    string? KubeContext,
    string Trigger,
    string? ReportDatabase,
    bool ExpectArchiving = false,
    string? CaCertificate = null)
{
    /// <summary>Inputs whose change means the cluster must be verified again: every one of them.</summary>
    public static readonly ImmutableArray<string> VerifiedOn = [.. ReplicationCheckContract.Inputs.Select(i => i.Name)];

    public override string ToString() => $"ReplicationCheck {Namespace}/{StatefulSetName} ({Replicas} members, {ConnectionMode})";

    /// <summary>Parses the inputs, or lists every problem with the property it concerns.</summary>
    public static (ReplicationCheckInputs? Inputs, IList<CheckFailure> Failures) Parse(ImmutableDictionary<string, PropertyValue> properties)
    {
        var failures = new List<CheckFailure>();

        // Unknown during preview (an input computed from a resource not created yet): checked once it is known.
        bool Unknown(string name) => properties.TryGetValue(name, out var v) && v.IsComputed;

        string? Text(string name)
        {
            var input = ReplicationCheckContract.Input(name);
            if (Unknown(name))
            {
                return input.Required ? string.Empty : null;
            }

            if (properties.TryGetValue(name, out var value) && value.TryGetString(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                if (input.AllowedValues is { } allowed && !allowed.Contains(text))
                {
                    failures.Add(new CheckFailure(name, input.Rule(text)));
                }

                return text;
            }

            if (input.Required)
            {
                failures.Add(new CheckFailure(name, input.Rule()));
                return string.Empty;
            }

            return input.Default;
        }

        long Number(string name)
        {
            var input = ReplicationCheckContract.Input(name);
            var (min, max) = (input.Minimum!.Value, input.Maximum!.Value);
            if (Unknown(name))
            {
                return min;
            }

            if (properties.TryGetValue(name, out var value) && value.TryGetNumber(out var number) && number >= min && number <= max && number == Math.Floor(number))
            {
                return (long)number;
            }

            failures.Add(new CheckFailure(name, input.Rule()));
            return min;
        }

        bool Flag(string name)
        {
            if (Unknown(name) || !properties.TryGetValue(name, out var value) || value.IsNull)
            {
                return false;
            }

            if (value.TryGetBool(out var flag))
            {
                return flag;
            }

            failures.Add(new CheckFailure(name, ReplicationCheckContract.Input(name).Rule()));
            return false;
        }

        var inputs = new ReplicationCheckInputs(
            Text(Input.Namespace)!, Text(Input.StatefulSetName)!, Text(Input.HeadlessServiceName)!, Text(Input.ReadWriteServiceName)!,
            Text(Input.ReadOnlyServiceName)!, (int)Number(Input.Replicas), Number(Input.MaxLagBytes), (int)Number(Input.TimeoutSeconds),
            ReplicationCheckContract.ParseConnectionMode(Text(Input.ConnectionMode) ?? string.Empty) ?? CheckConnectionMode.PortForward,
            Text(Input.CredentialsSecretName)!, Text(Input.Kubeconfig), Text(Input.KubeContext), Text(Input.Trigger)!,
            Text(Input.ReportDatabase), Flag(Input.ExpectArchiving), Text(Input.CaCertificate));
        return failures.Count == 0 ? (inputs, failures) : (null, failures);
    }
}
