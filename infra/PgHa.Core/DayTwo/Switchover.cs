namespace PgHa.Core.DayTwo;

/// <summary>
/// A planned switchover (Patroni's <c>POST /switchover</c> with leader and candidate): the one leader change of a
/// plan, always to a member already on the current template.
/// </summary>
/// <param name="From">The leader when the plan was made.</param>
/// <param name="To">
/// The candidate the planner chose (what preview shows). The executor chooses again just before switching, with the
/// same rule on the cluster as it is then (<see cref="SwitchoverCandidate.Choose"/> with atExecution: true), and
/// switches to that member: lags have changed since planning, and restarting replicas can move the synchronous
/// standby role.
/// </param>
/// <param name="ToSynchronousStandby">Synchronous mode: Patroni switches over only to the synchronous standby of that moment.</param>
public sealed record Switchover(string From, string To, bool ToSynchronousStandby) : DayTwoStep
{
    public override string Description =>
        $"switchover {From} -> {To}{(ToSynchronousStandby ? " (the synchronous standby)" : string.Empty)}";

    public override ClusterRequirement Requires => ClusterRequirement.HealthyMembers;
}
