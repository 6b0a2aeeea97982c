using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.DayTwo;

/// <summary>What the stack's settings want the running cluster to be.</summary>
/// <param name="ClusterName">pgha:clusterName: the StatefulSet and the pods' name prefix.</param>
/// <param name="Replicas">pgha:replicas.</param>
/// <param name="StorageSize">pgha:storageSize as written (a Kubernetes quantity); <paramref name="StorageBytes"/> its value.</param>
/// <param name="Configuration">Patroni's dynamic configuration as the settings give it.</param>
/// <param name="ReadinessMaxLagBytes">pgha:readinessMaxLag: how far behind a member may be and still count as back.</param>
/// <param name="PodTemplateChanges">
/// True at preview when the pod template about to be applied differs from the StatefulSet's: every member is then
/// outdated. False once the template is applied: members are compared with the StatefulSet's update revision.
/// </param>
/// <param name="AppDeployments">The Deployments restarted after the app password rotates (pgha:appRestartDeployments).</param>
public sealed record DesiredState(
    string ClusterName,
    int Replicas,
    string StorageSize,
    long StorageBytes,
    LivePatroniConfiguration Configuration,
    long ReadinessMaxLagBytes,
    bool PodTemplateChanges,
    IReadOnlyList<AppDeployment> AppDeployments)
{
    public ResourceNames Names => new(ClusterName);

    public static DesiredState From(PgHaSettings settings, bool podTemplateChanges) => new(
        settings.Cluster.Name,
        settings.Cluster.Replicas,
        settings.Storage.Size,
        settings.Storage.SizeBytes,
        LivePatroniConfiguration.FromSettings(settings.Patroni),
        settings.Patroni.ReadinessMaxLagBytes,
        podTemplateChanges,
        settings.AppConfig is { } app
            ? app.RestartDeployments.Select(d => new AppDeployment(app.Namespace, d)).ToArray()
            : []);
}
