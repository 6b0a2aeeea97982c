namespace PgHa.Core.DayTwo;

/// <summary>A reason not to start a plan: what is wrong, the config key concerned (if any), and how to fix it.</summary>
public sealed record PlanRefusal(string Problem, string Fix, string? ConfigKey = null)
{
    public override string ToString() => (ConfigKey is null ? string.Empty : ConfigKey + ": ") + Problem + " Fix: " + Fix;
}
