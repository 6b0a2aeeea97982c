using System.Text;
using PgHa.Core.DayTwo;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// A step of a day-2 run failed (or a wait gave up): the run stopped there, the steps after it were not started. The
/// message says what was done, what failed and why, what was left untouched, and that the next run resumes.
/// </summary>
public sealed class DayTwoStepFailedException : Exception
{
    public DayTwoStepFailedException(DayTwoPlan plan, int failedIndex, Exception cause)
        : base(Describe(plan, failedIndex, cause), cause)
    {
        Plan = plan;
        FailedIndex = failedIndex;
    }

    public DayTwoPlan Plan { get; }

    /// <summary>The index in <see cref="Plan"/>'s steps of the step that failed; the ones before it were done.</summary>
    public int FailedIndex { get; }

    public DayTwoStep FailedStep => Plan.Steps[FailedIndex];

    public IReadOnlyList<DayTwoStep> Completed => Plan.Steps.Take(FailedIndex).ToArray();

    public IReadOnlyList<DayTwoStep> Untouched => Plan.Steps.Skip(FailedIndex + 1).ToArray();

    private static string Describe(DayTwoPlan plan, int failedIndex, Exception cause)
    {
        var text = new StringBuilder();
        text.Append($"step {failedIndex + 1} of {plan.Steps.Count} failed: {plan.Steps[failedIndex].Description}: {cause.Message}");
        text.Append($"\n  done: {(failedIndex == 0 ? "nothing" : string.Join("; ", plan.Steps.Take(failedIndex).Select(s => s.Description)))}");
        var untouched = plan.Steps.Skip(failedIndex + 1).Select(s => s.Description).ToArray();
        text.Append($"\n  not started: {(untouched.Length == 0 ? "nothing" : string.Join("; ", untouched))}");
        text.Append("\n  Fix what the failure names (pgha status shows the members), then run pulumi up again: it resumes, skipping members already on the new revision.");
        return text.ToString();
    }
}
