namespace PgHa.Core.DayTwo;

/// <summary>
/// Patch the claim's requested size to <paramref name="To"/> and wait until the volume and its filesystem have grown
/// (in place, while the pod runs). Also planned when the request already says <paramref name="To"/> but the capacity
/// has not caught up (a resize a stopped run left under way).
/// </summary>
public sealed record GrowVolume(string Claim, string From, string To) : DayTwoStep
{
    public override string Description => $"grow volume {Claim} {From} -> {To}";

    public override ClusterRequirement Requires => ClusterRequirement.None;
}
