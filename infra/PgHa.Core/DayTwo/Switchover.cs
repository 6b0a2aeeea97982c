namespace PgHa.Core.DayTwo;

/// <summary>
/// A planned switchover (Patroni's <c>POST /switchover</c> with leader and candidate): the one leader change of a
/// plan, always to a member already on the current template.
/// </summary>
/// <param name="From">The leader when the plan was made.</param>
/// <param name="To">The candidate the planner chose.</param>
/// <param name="ToSynchronousStandby">
/// Synchronous mode: Patroni switches over only to a synchronous standby, and restarting replicas can move that role.
/// The executor then chooses again just before switching (<see cref="SwitchoverCandidate.Choose"/> with the cluster
/// as it is then) and takes the synchronous standby of that moment, which the rollout has already updated.
/// </param>
public sealed record Switchover(string From, string To, bool ToSynchronousStandby) : DayTwoStep
{
    public override string Description =>
        $"switchover {From} -> {To}{(ToSynchronousStandby ? " (the synchronous standby)" : string.Empty)}";

    public override ClusterRequirement Requires => ClusterRequirement.HealthyMembers;
}
