namespace PgHa.Core.DayTwo;

/// <summary>What a step needs of the running cluster before the plan may start (ordered: each includes the ones before).</summary>
public enum ClusterRequirement
{
    /// <summary>Nothing: safe on any cluster (growing a volume, changing Patroni's configuration in its store).</summary>
    None,

    /// <summary>Exactly one leader (the step talks to the primary).</summary>
    Leader,

    /// <summary>
    /// Exactly one leader, Patroni not paused, and every member that stays (and the leader) running, streaming and within
    /// pgha:readinessMaxLag (the step takes a member down).
    /// </summary>
    HealthyMembers,
}
