namespace PgHa.Core.DayTwo;

/// <summary>
/// Set the StatefulSet's replica count and wait (bounded) until the departing pods are gone or the new ones exist.
/// Planned so the primary is never on a departing ordinal when this runs.
/// </summary>
public sealed record ScaleStatefulSet(string StatefulSet, int From, int To) : DayTwoStep
{
    public override string Description => $"scale StatefulSet {StatefulSet} {From} -> {To}";

    public override ClusterRequirement Requires => ClusterRequirement.HealthyMembers;
}
