namespace PgHa.Operations.DayTwo;

/// <summary>How long each kind of wait of a day-2 run may take before the run stops there (generous: pods are scheduled, images pulled, replicas catch up).</summary>
/// <param name="PodReplaced">A deleted pod's replacement to run.</param>
/// <param name="MemberBack">A member to be back: PostgreSQL running, streaming, caught up, on the update revision.</param>
/// <param name="OthersHealthy">The members not acted on to be healthy before a member is taken down.</param>
/// <param name="PendingRestart">A member to load a changed restart-requiring parameter (Patroni's pending_restart), before restarting it.</param>
/// <param name="Switchover">The new leader to be in place after a switchover.</param>
/// <param name="Volume">A claim's volume and filesystem to grow.</param>
/// <param name="Scale">The StatefulSet's pods to match a new replica count.</param>
public sealed record DayTwoTimeouts(
    TimeSpan PodReplaced,
    TimeSpan MemberBack,
    TimeSpan OthersHealthy,
    TimeSpan PendingRestart,
    TimeSpan Switchover,
    TimeSpan Volume,
    TimeSpan Scale)
{
    /// <summary>For a Kubernetes cluster.</summary>
    public static DayTwoTimeouts Default { get; } = new(
        PodReplaced: TimeSpan.FromMinutes(10),
        MemberBack: TimeSpan.FromMinutes(15),
        OthersHealthy: TimeSpan.FromMinutes(5),
        PendingRestart: TimeSpan.FromMinutes(2),
        Switchover: TimeSpan.FromMinutes(2),
        Volume: TimeSpan.FromMinutes(15),
        Scale: TimeSpan.FromMinutes(10));
}
