namespace PgHa.Core.DayTwo;

/// <summary>
/// Delete a member's pod so the StatefulSet (update strategy OnDelete) creates it again from the current template and
/// Secrets. Deleting a Spilo pod is graceful: Patroni stops PostgreSQL (and releases the leader lock it may hold).
/// </summary>
public sealed record RecreatePod(string Pod, IReadOnlyList<RestartReason> Reasons) : DayTwoStep
{
    public override string Description => $"restart {Pod} ({string.Join(", ", Reasons.Select(Describe))})";

    public override ClusterRequirement Requires => ClusterRequirement.HealthyMembers;

    public bool Equals(RecreatePod? other) =>
        other is not null && Pod == other.Pod && Reasons.SequenceEqual(other.Reasons);

    public override int GetHashCode() => Reasons.Aggregate(Pod.GetHashCode(StringComparison.Ordinal), HashCode.Combine);

    private static string Describe(RestartReason reason) => reason switch
    {
        RestartReason.PodTemplate => "new pod template",
        RestartReason.SuperuserPassword => "new superuser password",
        RestartReason.ReplicationPassword => "new replication password",
        _ => reason.ToString(),
    };
}
