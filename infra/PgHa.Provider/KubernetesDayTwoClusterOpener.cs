using PgHa.Core.Patroni;
using PgHa.Operations.DayTwo;

namespace PgHa.Provider;

/// <summary>The rollout's cluster on Kubernetes: the executor's <see cref="DayTwoConnection"/> to the StatefulSet the inputs name.</summary>
public sealed class KubernetesDayTwoClusterOpener : IDayTwoClusterOpener
{
    public async Task<(IDayTwoCluster Cluster, IAsyncDisposable Lifetime)> OpenAsync(ClusterRolloutInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var kubernetes = await ProviderKubeconfig.ResolveAsync(inputs.Kubeconfig, inputs.KubeContext).ConfigureAwait(false);
        var target = new DayTwoTarget(inputs.Namespace, inputs.StatefulSetName, inputs.KubeContext, inputs.SecretNames());
        var connection = DayTwoConnection.Open(target, inputs.ReadinessMaxLagBytes, kubernetes);
        return (connection.Cluster, connection);
    }
}
