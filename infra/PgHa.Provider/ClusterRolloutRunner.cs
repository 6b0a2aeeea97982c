using PgHa.Core.DayTwo;
using PgHa.Operations.DayTwo;

namespace PgHa.Provider;

/// <summary>
/// The rollout of a running cluster: the day-2 executor (<see cref="DayTwoRun"/>: it reads the cluster, plans with Core's
/// planner, refuses an unhealthy cluster, runs the steps in order with bounded waits) on the cluster the inputs name. A
/// refused plan runs nothing; a failed step stops the rollout with the rest untouched. Run again, it reads the cluster
/// again, so members already on the update revision are skipped and the rollout resumes where it stopped.
/// </summary>
/// <param name="timeouts">The executor's bounds; null: its defaults for Kubernetes, with the inputs' member timeout.</param>
public sealed class ClusterRolloutRunner(IDayTwoClusterOpener opener, DayTwoTimeouts? timeouts = null) : IClusterRolloutRunner
{
    public async Task<IReadOnlyList<string>> PlanAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (cluster, lifetime) = await opener.OpenAsync(request.Desired, cancellationToken).ConfigureAwait(false);
        await using (lifetime.ConfigureAwait(false))
        {
            return Lines(await DayTwoRun.PlanAsync(cluster, Desired(request), cancellationToken).ConfigureAwait(false));
        }
    }

    public async Task<RolloutOutcome> ApplyAsync(RolloutRequest request, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (cluster, lifetime) = await opener.OpenAsync(request.Desired, cancellationToken).ConfigureAwait(false);
        await using (lifetime.ConfigureAwait(false))
        {
            var bounds = timeouts ?? DayTwoTimeouts.Default with { MemberBack = TimeSpan.FromSeconds(request.Desired.MemberTimeoutSeconds) };
            try
            {
                var result = await DayTwoRun.ApplyAsync(cluster, Desired(request), progress, cancellationToken, bounds).ConfigureAwait(false);
                return new RolloutOutcome(Lines(result.Plan), result.Plan.Steps.Select(s => s.Description).ToArray(),
                    await LeaderAsync(cluster, cancellationToken).ConfigureAwait(false), null);
            }
            catch (DayTwoRefusedException refused)
            {
                return new RolloutOutcome(Lines(refused.Plan), [], await LeaderAsync(cluster, cancellationToken).ConfigureAwait(false), refused.Message);
            }
            catch (DayTwoStepFailedException failed)
            {
                return new RolloutOutcome(Lines(failed.Plan), failed.Completed.Select(s => s.Description).ToArray(),
                    await LeaderAsync(cluster, cancellationToken).ConfigureAwait(false), failed.Message);
            }
        }
    }

    /// <summary>The StatefulSet already has the new template when the rollout runs: members are compared with its update revision.</summary>
    private static DesiredState Desired(RolloutRequest request) => request.Desired.Desired(podTemplateChanges: false);

    /// <summary>Who leads now, as Patroni says; null when the cluster cannot be read (the outcome says why already).</summary>
    private static async Task<string?> LeaderAsync(IDayTwoCluster cluster, CancellationToken cancellationToken)
    {
        try
        {
            var observed = await cluster.ObserveAsync(cancellationToken).ConfigureAwait(false);
            return observed.Members.Where(m => m.IsLeader).Select(m => m.Pod).FirstOrDefault();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string> Lines(DayTwoPlan plan) => plan.IsEmpty && !plan.IsRefused ? ["nothing to roll out"] : plan.Summary;
}
