namespace PgHa.Provider;

/// <summary>Plans and runs the day-2 rollout of a running cluster (the seam the provider's unit tests replace).</summary>
public interface IClusterRolloutRunner
{
    /// <summary>The plan for the cluster as it is now, one line per kind of change; reads the cluster, changes nothing.</summary>
    Task<IReadOnlyList<string>> PlanAsync(RolloutRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the cluster, plans, and runs the steps in order; stops at the first that fails, leaving the rest untouched.</summary>
    Task<RolloutOutcome> ApplyAsync(RolloutRequest request, Action<string> progress, CancellationToken cancellationToken);
}
