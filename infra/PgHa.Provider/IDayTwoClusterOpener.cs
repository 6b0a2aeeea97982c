using PgHa.Operations.DayTwo;

namespace PgHa.Provider;

/// <summary>Opens the day-2 executor's seam on the cluster a rollout's inputs name (Kubernetes in the plugin; a stand-in cluster in the tests).</summary>
public interface IDayTwoClusterOpener
{
    /// <summary>The cluster, and what to dispose when the rollout is done with it.</summary>
    Task<(IDayTwoCluster Cluster, IAsyncDisposable Lifetime)> OpenAsync(ClusterRolloutInputs inputs, CancellationToken cancellationToken);
}
