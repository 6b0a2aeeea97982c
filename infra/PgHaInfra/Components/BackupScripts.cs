using PgHa.Core.Backup;
using PgHa.Core.Naming;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

public sealed record BackupScriptsArgs(ClusterIdentity Cluster);

/// <summary>The backup election script the pods' cron runs (mounted read-only into the database container).</summary>
public sealed class BackupScripts : ComponentResource
{
    /// <summary>The ConfigMap, for the StatefulSet to wait for.</summary>
    public ConfigMap ConfigMap { get; }

    public BackupScripts(string name, BackupScriptsArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:BackupScripts", name, options)
    {
        var cluster = args.Cluster;
        ConfigMap = new ConfigMap(name, new ConfigMapArgs
        {
            Metadata = Metadata.For(new ResourceNames(cluster.Name).BackupScripts, cluster.Namespace, cluster.Name, "backup"),
            Data = { [BackupElection.ScriptFile] = BackupElection.Script },
        }, ChildOptions.Of(this, options));
        RegisterOutputs(new Dictionary<string, object?>());
    }
}
