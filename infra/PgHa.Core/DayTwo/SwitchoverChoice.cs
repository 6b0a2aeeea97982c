namespace PgHa.Core.DayTwo;

/// <summary>The member to switch over to, or why there is none.</summary>
public sealed record SwitchoverChoice(ObservedMember? Candidate, bool ToSynchronousStandby, PlanRefusal? Refusal)
{
    public static SwitchoverChoice To(ObservedMember candidate, bool toSynchronousStandby) => new(candidate, toSynchronousStandby, null);

    public static SwitchoverChoice None(PlanRefusal refusal) => new(null, false, refusal);
}
