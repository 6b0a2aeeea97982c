namespace PgHa.Core.DayTwo;

/// <summary>Whether a member is fit for a rollout to proceed: the leader running, a replica streaming, on the leader's timeline and caught up.</summary>
public static class MemberHealth
{
    /// <summary>What is wrong with <paramref name="member"/>, or null when it is healthy.</summary>
    /// <param name="leader">The cluster's single leader, or null when there is none (a replica's timeline is then not compared).</param>
    public static string? Problem(ObservedMember member, ObservedMember? leader, long maxLagBytes)
    {
        if (member.IsLeader)
        {
            return member.State == MemberState.Running ? null : $"the leader {member.Pod} is {Describe(member.State)}, not running.";
        }

        if (member.State != MemberState.Streaming)
        {
            return $"{member.Pod} is {Describe(member.State)}, not streaming from the leader.";
        }

        if (member.LagBytes is not { } lag)
        {
            return $"{member.Pod}'s lag behind the leader is unknown.";
        }

        if (lag > maxLagBytes)
        {
            return $"{member.Pod} is {ByteSize.Format(lag)} behind the leader, more than pgha:readinessMaxLag ({ByteSize.Format(maxLagBytes)}).";
        }

        if (leader?.Timeline is { } leaderTimeline && member.Timeline is { } timeline && timeline != leaderTimeline)
        {
            return $"{member.Pod} is on timeline {timeline}, the leader {leader.Pod} on {leaderTimeline}.";
        }

        return null;
    }

    private static string Describe(MemberState state) => state switch
    {
        MemberState.Running => "running",
        MemberState.Streaming => "streaming",
        MemberState.Starting => "starting",
        MemberState.Stopped => "stopped",
        _ => "in another state",
    };
}
