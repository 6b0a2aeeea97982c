using System.Collections.Immutable;
using System.Globalization;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;

namespace PgHa.Provider;

/// <summary>How the check reaches the pods: through the Kubernetes API (from anywhere) or by cluster DNS (from inside).</summary>
public enum ConnectionMode
{
    PortForward,
    Direct,
}

/// <summary>The ReplicationCheck resource's inputs, parsed and validated.</summary>
public sealed record ReplicationCheckInputs(
    string Namespace,
    string StatefulSetName,
    string HeadlessServiceName,
    string ReadWriteServiceName,
    string ReadOnlyServiceName,
    int Replicas,
    long MaxLagBytes,
    int TimeoutSeconds,
    ConnectionMode ConnectionMode,
    string Username,
    string Password,
    string? Kubeconfig,
    string? KubeContext,
    string Trigger,
    string? ReportDatabase,
    bool ExpectArchiving = false)
{
    /// <summary>Inputs whose change means the cluster must be verified again.</summary>
    public static readonly ImmutableArray<string> VerifiedOn =
    [
        "trigger", "namespace", "statefulSetName", "headlessServiceName", "readWriteServiceName", "readOnlyServiceName",
        "replicas", "maxLagBytes", "timeoutSeconds", "connectionMode", "username", "password", "kubeconfig", "kubeContext", "reportDatabase",
        "expectArchiving",
    ];

    public override string ToString() => $"ReplicationCheck {Namespace}/{StatefulSetName} ({Replicas} members, {ConnectionMode})";

    /// <summary>Parses the inputs, or lists every problem with the property it concerns.</summary>
    public static (ReplicationCheckInputs? Inputs, IList<CheckFailure> Failures) Parse(ImmutableDictionary<string, PropertyValue> properties)
    {
        var failures = new List<CheckFailure>();

        // Unknown during preview (an input computed from a resource not created yet): checked once it is known.
        bool Unknown(string name) => properties.TryGetValue(name, out var v) && v.IsComputed;

        string Text(string name, bool required = true)
        {
            if (Unknown(name))
            {
                return string.Empty;
            }

            if (properties.TryGetValue(name, out var value) && value.TryGetString(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }

            if (required)
            {
                failures.Add(new CheckFailure(name, $"{name} is required (a non-empty string)."));
            }

            return string.Empty;
        }

        double Number(string name, double min, double max)
        {
            if (Unknown(name))
            {
                return min;
            }

            if (properties.TryGetValue(name, out var value) && value.TryGetNumber(out var number) && number >= min && number <= max && number == Math.Floor(number))
            {
                return number;
            }

            failures.Add(new CheckFailure(name, $"{name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}."));
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

            failures.Add(new CheckFailure(name, $"{name} must be true or false."));
            return false;
        }

        var mode = Text("connectionMode", required: false) switch
        {
            "" or "portForward" => ConnectionMode.PortForward,
            "direct" => ConnectionMode.Direct,
            var other => Invalid(other),
        };

        ConnectionMode Invalid(string other)
        {
            failures.Add(new CheckFailure("connectionMode", $"connectionMode \"{other}\" must be portForward or direct."));
            return ConnectionMode.PortForward;
        }

        var inputs = new ReplicationCheckInputs(
            Text("namespace"), Text("statefulSetName"), Text("headlessServiceName"), Text("readWriteServiceName"), Text("readOnlyServiceName"),
            (int)Number("replicas", 2, 9), (long)Number("maxLagBytes", 0, 1e15), (int)Number("timeoutSeconds", 1, 3600), mode,
            Text("username"), Text("password"),
            Text("kubeconfig", required: false) is { Length: > 0 } kubeconfig ? kubeconfig : null,
            Text("kubeContext", required: false) is { Length: > 0 } context ? context : null,
            Text("trigger", required: false),
            Text("reportDatabase", required: false) is { Length: > 0 } report ? report : null,
            Flag("expectArchiving"));
        return failures.Count == 0 ? (inputs, failures) : (null, failures);
    }
}
