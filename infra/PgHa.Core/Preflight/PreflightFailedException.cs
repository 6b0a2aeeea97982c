using PgHa.Core.Settings;

namespace PgHa.Core.Preflight;

/// <summary>Thrown before anything is created when the target cluster has one or more preflight errors; lists them all.</summary>
/// <param name="cluster">Which cluster was read, e.g. "kubeconfig context dev-cluster".</param>
public sealed class PreflightFailedException(IReadOnlyList<PreflightProblem> errors, string cluster)
    : Exception(Format(errors, cluster))
{
    public IReadOnlyList<PreflightProblem> Errors { get; } = errors;

    private static string Format(IReadOnlyList<PreflightProblem> errors, string cluster) =>
        $"The preflight found {errors.Count} problem(s) in the target cluster ({cluster}); nothing was created:" + Environment.NewLine +
        string.Join(Environment.NewLine, errors.Select(e => "  - " + e)) + Environment.NewLine +
        $"(Read-only checks; for a preview without cluster access: {ConfigKeys.Preflight.SetCommand("false")}.)";
}
