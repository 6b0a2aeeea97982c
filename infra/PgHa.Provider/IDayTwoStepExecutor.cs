using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>
/// Runs one step of a day-2 plan against the running cluster (delete a pod, patch a claim, PATCH /config, switch over,
/// ALTER ROLE, wait for a member within <see cref="ClusterRolloutInputs.MemberTimeoutSeconds"/>, ...), and throws with
/// what happened when it cannot.
/// </summary>
public interface IDayTwoStepExecutor
{
    Task ExecuteAsync(ClusterRolloutInputs inputs, DayTwoStep step, Action<string> progress, CancellationToken cancellationToken);
}
