using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

public sealed record PatroniConfigurationMapArgs(ClusterIdentity Cluster, PatroniSettings Patroni, BackupSettings? Backup);

/// <summary>
/// The ConfigMap the pods take SPILO_CONFIGURATION from (<c>configMapKeyRef</c>), so a change of Patroni's dynamic
/// configuration does not change the pod template: a new cluster bootstraps with the current values, a running one
/// gets them live from the day-2 rollout (Patroni's PATCH /config). Updated in place (the provider's
/// enableConfigMapMutable); its name never changes, so the pods' reference never does.
/// </summary>
public sealed class PatroniConfigurationMap : ComponentResource
{
    /// <summary>The ConfigMap, for the StatefulSet to wait for.</summary>
    public ConfigMap ConfigMap { get; }

    public PatroniConfigurationMap(string name, PatroniConfigurationMapArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PatroniConfigurationMap", name, options)
    {
        var cluster = args.Cluster;
        ConfigMap = new ConfigMap(name, new ConfigMapArgs
        {
            Metadata = Metadata.For(new ResourceNames(cluster.Name).SpiloConfiguration, cluster.Namespace, cluster.Name, "database"),
            Data = { [SpiloEnvironment.ConfigurationVariable] = SpiloEnvironment.Configuration(args.Patroni, args.Backup) },
        }, ChildOptions.Of(this, options));
        RegisterOutputs(new Dictionary<string, object?>());
    }
}
