namespace PgHa.Core.DayTwo;

/// <summary>
/// Wait (bounded) until the member is back: its pod on the StatefulSet's update revision, PostgreSQL running, a replica
/// streaming and at most <paramref name="MaxLagBytes"/> behind. Nothing after this step starts before; when the
/// bound passes, the plan stops here and the rest is left untouched.
/// </summary>
public sealed record AwaitMember(string Pod, long MaxLagBytes) : DayTwoStep
{
    public override string Description => $"wait until {Pod} is back and streaming, at most {ByteSize.Format(MaxLagBytes)} behind";

    public override ClusterRequirement Requires => ClusterRequirement.HealthyMembers;
}
