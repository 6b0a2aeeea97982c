using PgHa.Core.DayTwo;

namespace PgHa.Operations.DayTwo;

/// <summary>The plan was refused (the cluster is unhealthy, or a change cannot be made): nothing was done.</summary>
public sealed class DayTwoRefusedException(DayTwoPlan plan)
    : Exception("pg-ha will not change the running cluster: nothing was done.\n" + string.Join("\n", plan.Refusals.Select(r => "  - " + r)))
{
    public DayTwoPlan Plan { get; } = plan;
}
