namespace PgHa.Core.DayTwo;

/// <summary>Drop, on the primary, the physical slot of a member the scale-down removed, so it no longer retains WAL.</summary>
public sealed record DropReplicationSlot(string Slot, string DepartedMember) : DayTwoStep
{
    public override string Description => $"drop slot {Slot} of departed member {DepartedMember}";

    public override ClusterRequirement Requires => ClusterRequirement.Leader;
}
