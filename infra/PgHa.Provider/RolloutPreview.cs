using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>
/// What a rollout will do, planned without reading the cluster (<c>pulumi preview</c> makes no cluster call): Core's
/// planner over the cluster as the last rollout left it (<see cref="AssumedCluster"/>) and the new inputs. <c>pulumi up</c>
/// reads the cluster and plans again, so a member that has failed over since shows up then.
/// </summary>
public static class RolloutPreview
{
    public static DayTwoPlan Plan(ClusterRolloutInputs desired, ClusterRolloutInputs applied, string? primary)
    {
        var assumed = AssumedCluster.AsLastApplied(applied.StatefulSetName, applied.Replicas, primary,
            LivePatroniConfiguration.FromJson(applied.PatroniConfiguration), applied.StorageSize, desired.RotatedSince(applied));
        return DayTwoPlanner.Plan(assumed, desired.Desired(podTemplateChanges: desired.PodTemplateHash != applied.PodTemplateHash));
    }

    /// <summary>The plan's lines, headed by what it assumes.</summary>
    public static IReadOnlyList<string> Lines(ClusterRolloutInputs desired, ClusterRolloutInputs? applied, string? primary)
    {
        if (applied is null)
        {
            return ["new cluster: the members start from the current pod template and Patroni configuration; nothing to roll out"];
        }

        if (desired.Unknown.Count > 0)
        {
            return [$"planned when {string.Join(", ", desired.Unknown.Order(StringComparer.Ordinal))} are known (pulumi up plans against the running cluster)"];
        }

        var plan = Plan(desired, applied, primary);
        return plan.IsEmpty && !plan.IsRefused ? ["nothing to roll out"] : plan.Summary;
    }
}
