using k8s;
using k8s.Models;
using PgHa.Core.Verification;

namespace PgHa.Operations.Kubernetes;

/// <summary>The ready pods behind the read-write and read-only Services, from their EndpointSlices.</summary>
public sealed class KubernetesServiceEndpoints(IKubernetes client, string ns, string readWriteService, string readOnlyService)
    : IServiceEndpointsSource
{
    public async Task<ServiceEndpoints> GetAsync(CancellationToken cancellationToken) => new(
        await ReadyPodsAsync(readWriteService, cancellationToken).ConfigureAwait(false),
        await ReadyPodsAsync(readOnlyService, cancellationToken).ConfigureAwait(false));

    private async Task<IReadOnlyList<string>> ReadyPodsAsync(string service, CancellationToken cancellationToken)
    {
        var slices = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns,
            labelSelector: $"kubernetes.io/service-name={service}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadyPods(slices.Items);
    }

    /// <summary>Pods that are ready endpoints of the slices (a pod listed in several slices counts once).</summary>
    public static IReadOnlyList<string> ReadyPods(IEnumerable<V1EndpointSlice> slices) =>
        slices.SelectMany(s => s.Endpoints ?? [])
            .Where(e => e.Conditions?.Ready != false && e.TargetRef?.Kind == "Pod" && e.TargetRef.Name is not null)
            .Select(e => e.TargetRef.Name)
            .Distinct()
            .Order()
            .ToArray();
}
