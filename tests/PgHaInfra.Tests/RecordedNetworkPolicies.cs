using PgHa.Core.Kubernetes;
using static PgHaInfra.Tests.RecordedInputs;

namespace PgHaInfra.Tests;

/// <summary>
/// The NetworkPolicies of a recorded stack, evaluated as Kubernetes does: a pod selected by no policy of a direction
/// is open in it; a selected pod admits only what some rule of a selecting policy admits; a flow needs the source's
/// egress and the destination's ingress. Namespaces carry only <c>kubernetes.io/metadata.name</c>. An ipBlock stands
/// for addresses outside the pod network. Selectors with matchExpressions are refused (the stack writes none).
/// </summary>
public sealed class RecordedNetworkPolicies(IReadOnlyList<RegisteredResource> policies)
{
    public static RecordedNetworkPolicies Of(StackRun run) => new(run.OfType("kubernetes:networking.k8s.io/v1:NetworkPolicy").ToArray());

    public int Count => policies.Count;

    public bool Admits(FlowEndpoint from, FlowEndpoint to, int port, string protocol = "TCP") =>
        Allows(from, to, port, protocol, "Egress", "egress", "to") && Allows(to, from, port, protocol, "Ingress", "ingress", "from");

    /// <summary>Whether <paramref name="pod"/>'s policies of one direction let it talk with <paramref name="peer"/>.</summary>
    private bool Allows(FlowEndpoint pod, FlowEndpoint peer, int port, string protocol, string type, string rulesKey, string peersKey)
    {
        if (pod.IsExternal)
        {
            return true;
        }

        var selecting = policies.Where(p => At(p.Inputs, "metadata", "namespace") as string == pod.Namespace
            && List(At(p.Inputs, "spec", "policyTypes")).Contains(type)
            && Selects(At(p.Inputs, "spec", "podSelector"), pod.Labels)).ToArray();
        return selecting.Length == 0 || selecting.Any(p => List(At(p.Inputs, "spec", rulesKey)).Any(rule =>
            PortMatches(rule, port, protocol) && PeerMatches(rule, peersKey, (string)At(p.Inputs, "metadata", "namespace")!, peer)));
    }

    private static bool PortMatches(object rule, int port, string protocol)
    {
        var ports = List(At(rule, "ports")).ToArray();
        return ports.Length == 0 || ports.Any(p => ((At(p, "protocol") as string) ?? "TCP") == protocol
            && (At(p, "port") is not { } value || Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == port));
    }

    private static bool PeerMatches(object rule, string peersKey, string policyNamespace, FlowEndpoint peer)
    {
        var peers = List(At(rule, peersKey)).ToArray();
        return peers.Length == 0 || peers.Any(p =>
        {
            if (At(p, "ipBlock") is not null)
            {
                return peer.IsExternal;
            }

            if (peer.IsExternal)
            {
                return false;
            }

            var namespaceSelector = At(p, "namespaceSelector");
            var namespaceMatches = namespaceSelector is null
                ? peer.Namespace == policyNamespace
                : Selects(namespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = peer.Namespace! });
            var podSelector = At(p, "podSelector");
            return namespaceMatches && (podSelector is null || Selects(podSelector, peer.Labels));
        });
    }

    /// <summary>A NetworkPolicy's label selector: an empty one selects everything.</summary>
    private static bool Selects(object? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (List(At(selector, "matchExpressions")).Any())
        {
            throw new NotSupportedException("matchExpressions: the evaluator reads matchLabels only");
        }

        var matchLabels = Strings(At(selector, "matchLabels"));
        return matchLabels.Count == 0 || LabelSelector.Matches(matchLabels, labels);
    }
}
