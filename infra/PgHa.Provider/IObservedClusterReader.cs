using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>
/// Reads the running cluster for the planner: the StatefulSet's pods with what Patroni says of each (role, state, lag,
/// timeline, pending restart) and their revision, the StatefulSet's update revision and replicas, Patroni's
/// <c>GET /config</c>, the data claims. Rotated credentials are not its business: the rollout knows them from its inputs.
/// </summary>
public interface IObservedClusterReader
{
    Task<ObservedCluster> ReadAsync(ClusterRolloutInputs inputs, CancellationToken cancellationToken);
}
