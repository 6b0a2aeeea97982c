using k8s;
using PgHa.Core.DayTwo;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// The entry point for what acts on a running cluster on <c>pulumi up</c> (the provider):
/// <see cref="PlanAsync(DayTwoTarget, DesiredState, KubernetesClientConfiguration?, CancellationToken)"/> at preview (reads only, never
/// changes anything), <see cref="ApplyAsync(DayTwoTarget, DesiredState, Action{string}, KubernetesClientConfiguration?, CancellationToken)"/>
/// at update. The overloads taking an <see cref="IDayTwoCluster"/> do the same on any implementation of the seam (the tests' loopback cluster).
/// </summary>
/// <remarks>
/// <para><b>Desired state.</b> <c>DesiredState.From(settings, podTemplateChanges)</c>: at preview pass
/// <c>podTemplateChanges: true</c> when the pod template about to be applied differs from the StatefulSet's (every
/// member is then shown as restarted); at update pass <c>false</c>: the template is applied by then (the StatefulSet,
/// update strategy OnDelete, is applied before this runs) and members are compared with its update revision.</para>
/// <para><b>Outcomes of apply.</b> A <see cref="DayTwoResult"/> when every step is done (or nothing was needed);
/// <see cref="DayTwoRefusedException"/> when the plan is refused (e.g. an unhealthy cluster; nothing was done; the
/// message lists what is wrong and the fix); <see cref="DayTwoStepFailedException"/> when a step failed or a wait gave
/// up (the steps before it were done, none after it started; running again resumes). Fail <c>pulumi up</c> with the
/// exception's message: it holds no secret.</para>
/// <para><b>Progress.</b> One line per step start and end, and every few seconds of a wait ("[step 3/7] [progress]
/// waiting for agentic-pm-db-1 to be back ...: 25s elapsed, 875s left"). Send them to the engine's log.</para>
/// </remarks>
public static class DayTwoRun
{
    /// <summary>
    /// The plan for the Kubernetes cluster <paramref name="target"/> as it is now (steps, <see cref="DayTwoPlan.Summary"/>
    /// lines for preview, refusals). Reads the StatefulSet, pods, claims, Secrets, Patroni's REST API and the primary.
    /// </summary>
    /// <param name="kubernetes">As for <see cref="DayTwoConnection.Open"/>.</param>
    public static async Task<DayTwoPlan> PlanAsync(DayTwoTarget target, DesiredState desired, KubernetesClientConfiguration? kubernetes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        await using var connection = DayTwoConnection.Open(target, desired.ReadinessMaxLagBytes, kubernetes);
        return await PlanAsync(connection.Cluster, desired, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans and runs the steps on the Kubernetes cluster <paramref name="target"/>; see the type's remarks for the outcomes.</summary>
    /// <param name="kubernetes">As for <see cref="DayTwoConnection.Open"/>.</param>
    public static async Task<DayTwoResult> ApplyAsync(DayTwoTarget target, DesiredState desired, Action<string> progress,
        KubernetesClientConfiguration? kubernetes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        await using var connection = DayTwoConnection.Open(target, desired.ReadinessMaxLagBytes, kubernetes);
        return await ApplyAsync(connection.Cluster, desired, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plan for the cluster as it is now: its steps, summary lines (<see cref="DayTwoPlan.Summary"/>) and refusals. Changes nothing.</summary>
    public static Task<DayTwoPlan> PlanAsync(IDayTwoCluster cluster, DesiredState desired, CancellationToken cancellationToken = default) =>
        new DayTwoExecutor(cluster).PlanAsync(desired, cancellationToken);

    /// <summary>Plans and runs the steps; see the type's remarks for the outcomes.</summary>
    public static Task<DayTwoResult> ApplyAsync(IDayTwoCluster cluster, DesiredState desired, Action<string> progress,
        CancellationToken cancellationToken = default, DayTwoTimeouts? timeouts = null) =>
        new DayTwoExecutor(cluster, timeouts).ApplyAsync(desired, progress, cancellationToken);
}
