namespace PgHa.Core.DayTwo;

/// <summary>
/// The ordered steps that bring the running cluster to the settings, and the reasons not to start them. A refused plan
/// is still listed (preview shows what would happen), but none of its steps may run.
/// </summary>
public sealed record DayTwoPlan(IReadOnlyList<DayTwoStep> Steps, IReadOnlyList<PlanRefusal> Refusals)
{
    public bool IsRefused => Refusals.Count > 0;

    /// <summary>Nothing to do: the running cluster already matches the settings.</summary>
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>How many times the plan changes the leader (at most one).</summary>
    public int LeaderChanges => Steps.Count(s => s is Switchover);

    /// <summary>One line per kind of change, for <c>pulumi preview</c> (e.g. "restart agentic-pm-db-2, -1; switchover to -1; restart -0").</summary>
    public IReadOnlyList<string> Summary => PlanSummary.Lines(this);
}
