namespace PgHa.Provider;

/// <summary>A rollout to run: the desired inputs, and those of the last rollout that succeeded (null for a new cluster).</summary>
public sealed record RolloutRequest(ClusterRolloutInputs Desired, ClusterRolloutInputs? LastApplied);
