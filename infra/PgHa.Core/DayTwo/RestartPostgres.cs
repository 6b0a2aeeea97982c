namespace PgHa.Core.DayTwo;

/// <summary>
/// Restart PostgreSQL inside a running pod through Patroni's <c>POST /restart</c> on that member, for parameters that
/// take effect only after a restart. The pod stays.
/// </summary>
/// <param name="Parameters">The parameters waiting for the restart, when known.</param>
public sealed record RestartPostgres(string Pod, IReadOnlyList<string> Parameters) : DayTwoStep
{
    public override string Description =>
        $"restart PostgreSQL on {Pod} (pending restart{(Parameters.Count == 0 ? string.Empty : ": " + string.Join(", ", Parameters))})";

    public override ClusterRequirement Requires => ClusterRequirement.HealthyMembers;

    public bool Equals(RestartPostgres? other) =>
        other is not null && Pod == other.Pod && Parameters.SequenceEqual(other.Parameters);

    public override int GetHashCode() => Parameters.Aggregate(Pod.GetHashCode(StringComparison.Ordinal), HashCode.Combine);
}
