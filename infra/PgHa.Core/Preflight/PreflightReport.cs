namespace PgHa.Core.Preflight;

/// <summary>Everything the preflight found, errors and warnings, in the order the checks ran.</summary>
public sealed record PreflightReport(IReadOnlyList<PreflightProblem> Problems)
{
    public IReadOnlyList<PreflightProblem> Errors => Problems.Where(p => p.Severity == PreflightSeverity.Error).ToArray();

    public IReadOnlyList<PreflightProblem> Warnings => Problems.Where(p => p.Severity == PreflightSeverity.Warning).ToArray();

    /// <summary>No error (warnings allowed).</summary>
    public bool Passed => Errors.Count == 0;
}
