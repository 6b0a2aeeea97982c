namespace PgHa.Core.DayTwo;

/// <summary>What a step needs of the running cluster before the plan may start (ordered: each includes the ones before).</summary>
public enum ClusterRequirement
{
    /// <summary>Nothing: safe on any cluster (growing a volume, changing Patroni's configuration in its store).</summary>
    None,

    /// <summary>Exactly one leader, and Patroni not paused (the step talks to the primary).</summary>
    Leader,

    /// <summary>Exactly one leader and every member that stays running, streaming and within pgha:readinessMaxLag (the step takes a member down).</summary>
    HealthyMembers,
}
