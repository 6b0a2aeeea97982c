using PgHa.Core.Backup;
using PgHa.Core.Naming;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

public sealed record BackupScriptsArgs(string Cluster, ResourceNames Names, Input<string> Namespace);

/// <summary>The backup election script the pods' cron runs (mounted read-only into the database container).</summary>
public sealed class BackupScripts : ComponentResource
{
    /// <summary>The ConfigMap, for the StatefulSet to wait for.</summary>
    public ConfigMap ConfigMap { get; }

    public BackupScripts(string name, BackupScriptsArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:BackupScripts", name, options)
    {
        ConfigMap = new ConfigMap(name, new ConfigMapArgs
        {
            Metadata = Metadata.For(args.Names.BackupScripts, args.Namespace, args.Cluster, "backup"),
            Data = { [BackupElection.ScriptFile] = BackupElection.Script },
        }, new CustomResourceOptions { Parent = this });
        RegisterOutputs(new Dictionary<string, object?>());
    }
}
