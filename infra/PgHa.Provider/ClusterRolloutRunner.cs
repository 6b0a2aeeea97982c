using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>
/// The rollout: reads the cluster (<see cref="IObservedClusterReader"/>), plans with Core's <see cref="DayTwoPlanner"/>,
/// and runs the steps in order through <see cref="IDayTwoStepExecutor"/>. A refused plan runs nothing; a failed step
/// stops the rollout with the rest untouched. Run again, it reads the cluster again, so members already on the update
/// revision are skipped and the rollout resumes where it stopped.
/// </summary>
public sealed class ClusterRolloutRunner(IObservedClusterReader reader, IDayTwoStepExecutor executor) : IClusterRolloutRunner
{
    public async Task<IReadOnlyList<string>> PlanAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        var (plan, _) = await PlanNowAsync(request, cancellationToken).ConfigureAwait(false);
        return Lines(plan);
    }

    public async Task<RolloutOutcome> ApplyAsync(RolloutRequest request, Action<string> progress, CancellationToken cancellationToken)
    {
        var (plan, observed) = await PlanNowAsync(request, cancellationToken).ConfigureAwait(false);
        var lines = Lines(plan);
        var leader = observed.Members.Where(m => m.IsLeader).Select(m => m.Pod).FirstOrDefault();
        if (plan.IsRefused)
        {
            return new RolloutOutcome(lines, [], leader,
                "the rollout did not start, nothing was changed: " + string.Join(" ", plan.Refusals.Select(r => r.ToString())));
        }

        var done = new List<string>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            progress($"step {i + 1}/{plan.Steps.Count}: {step.Description}");
            try
            {
                await executor.ExecuteAsync(request.Desired, step, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var left = plan.Steps.Count - i - 1;
                return new RolloutOutcome(lines, done, leader,
                    $"step {i + 1}/{plan.Steps.Count} ({step.Description}) failed: {e.Message} " +
                    $"{done.Count} step(s) done, {left} left untouched. Run pulumi up again to resume: members already on the new revision are skipped.");
            }

            done.Add(step.Description);
            if (step is Switchover switchover)
            {
                leader = switchover.To;
            }
        }

        return new RolloutOutcome(lines, done, leader, null);
    }

    private async Task<(DayTwoPlan Plan, ObservedCluster Observed)> PlanNowAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        var observed = await reader.ReadAsync(request.Desired, cancellationToken).ConfigureAwait(false);
        observed = observed with { RotatedCredentials = request.Desired.RotatedSince(request.LastApplied) };
        // The StatefulSet already has the new template: members are compared with its update revision.
        return (DayTwoPlanner.Plan(observed, request.Desired.Desired(podTemplateChanges: false)), observed);
    }

    private static IReadOnlyList<string> Lines(DayTwoPlan plan) => plan.IsEmpty && !plan.IsRefused ? ["nothing to roll out"] : plan.Summary;
}
