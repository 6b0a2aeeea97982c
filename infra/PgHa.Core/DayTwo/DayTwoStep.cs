namespace PgHa.Core.DayTwo;

/// <summary>
/// One step of a day-2 plan. The set is closed: every step is one of the records in this namespace deriving from
/// this one, and the executor handles each.
/// </summary>
public abstract record DayTwoStep
{
    /// <summary>What the step does, in one line (e.g. "switchover agentic-pm-db-0 -> agentic-pm-db-1").</summary>
    public abstract string Description { get; }

    /// <summary>What the step needs of the running cluster.</summary>
    public abstract ClusterRequirement Requires { get; }

    public sealed override string ToString() => Description;
}
