using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>
/// Where the day-2 executor (PgHa.Operations' Kubernetes reading and step execution) plugs into the rollout: until it
/// does, a rollout of a running cluster stops before it reads or changes anything, saying so. A new cluster, a preview
/// and the replication check do not need it.
/// </summary>
public sealed class DayTwoExecutorNotInThisBuild : IObservedClusterReader, IDayTwoStepExecutor
{
    private const string Message = "this build of the pgha provider has no day-2 executor (PgHa.Operations DayTwo): it cannot read or change a running " +
        "cluster. Nothing was changed. Build the provider with the executor, or apply the change by hand (docs/day-two.md).";

    public Task<ObservedCluster> ReadAsync(ClusterRolloutInputs inputs, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Message);

    public Task ExecuteAsync(ClusterRolloutInputs inputs, DayTwoStep step, Action<string> progress, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Message);
}
