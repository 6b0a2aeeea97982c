namespace PgHa.Core.DayTwo;

/// <summary>One member of the running cluster: its pod, what Patroni says about it, and the pod template revision it runs.</summary>
/// <param name="Pod">The pod name, which is also the Patroni member name (e.g. agentic-pm-db-2).</param>
/// <param name="Ordinal">The StatefulSet ordinal of the pod.</param>
/// <param name="Timeline">The member's timeline; null when Patroni does not report it.</param>
/// <param name="LagBytes">How far the member is behind the leader in bytes (0 for the leader); null when unknown.</param>
/// <param name="Revision">The StatefulSet controller revision the pod was created from (its <c>controller-revision-hash</c> label).</param>
/// <param name="PendingRestart">Patroni's pending_restart flag: a changed parameter takes effect only after a PostgreSQL restart.</param>
/// <param name="PendingRestartParameters">The parameters waiting for that restart, when Patroni names them (Patroni 4's pending_restart_reason).</param>
public sealed record ObservedMember(
    string Pod,
    int Ordinal,
    PatroniRole Role,
    MemberState State,
    long? Timeline,
    long? LagBytes,
    string Revision,
    bool PendingRestart = false,
    IReadOnlyList<string>? PendingRestartParameters = null)
{
    public bool IsLeader => Role == PatroniRole.Leader;
}
