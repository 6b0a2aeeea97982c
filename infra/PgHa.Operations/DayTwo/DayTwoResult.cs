using PgHa.Core.DayTwo;

namespace PgHa.Operations.DayTwo;

/// <summary>A day-2 run that finished: the plan it ran (empty when the cluster already matched) and how long it took.</summary>
public sealed record DayTwoResult(DayTwoPlan Plan, TimeSpan Elapsed)
{
    /// <summary>One line per kind of change done, as preview showed it.</summary>
    public IReadOnlyList<string> Summary => Plan.Summary;
}
