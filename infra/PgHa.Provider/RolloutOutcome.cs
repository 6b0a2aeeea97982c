namespace PgHa.Provider;

/// <summary>How a rollout ended.</summary>
/// <param name="Plan">The plan it ran (or refused), one line per kind of change.</param>
/// <param name="Done">The steps finished, in order.</param>
/// <param name="Primary">The leader afterwards, when known.</param>
/// <param name="Failure">Null when every step finished; else what stopped it (a refusal, or the step that failed and why).</param>
public sealed record RolloutOutcome(IReadOnlyList<string> Plan, IReadOnlyList<string> Done, string? Primary, string? Failure)
{
    public bool Succeeded => Failure is null;
}
