using System.Globalization;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Storage.V1;
using Pulumi.Kubernetes.Types.Inputs.Storage.V1;
using Aws = Pulumi.Aws;

namespace PgHa.Infra.Components;

/// <param name="Cluster">Whose volumes the class is for (named in the key's description and the labels).</param>
public sealed record EbsStorageClassArgs(ClusterIdentity Cluster, StorageSettings Storage);

/// <summary>
/// An encrypted gp3 StorageClass for the EBS CSI driver, with a KMS key (rotation on) unless one is given.
/// Volumes bind where the pod lands (WaitForFirstConsumer), can grow, and outlive the stack (Retain).
/// </summary>
public sealed class EbsStorageClass : ComponentResource
{
    [Output("storageClassName")]
    public Output<string> StorageClassName { get; }

    [Output("kmsKeyArn")]
    public Output<string> KmsKeyArn { get; }

    public EbsStorageClass(string name, EbsStorageClassArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:EbsStorageClass", name, options)
    {
        var cluster = args.Cluster;
        var storage = args.Storage;

        KmsKeyArn = storage.KmsKeyArn is { } existing
            ? Output.Create(existing)
            : new Aws.Kms.Key($"{name}-ebs", new Aws.Kms.KeyArgs
            {
                Description = $"EBS encryption for PostgreSQL cluster {cluster.Name} ({cluster.Namespace})",
                EnableKeyRotation = true,
                DeletionWindowInDays = 30,
                Tags = { ["app.kubernetes.io/instance"] = cluster.Name, ["app.kubernetes.io/part-of"] = "pg-ha" },
            }, ChildOptions.Of(this, options)).Arn;

        var storageClass = new StorageClass(name, new StorageClassArgs
        {
            Metadata = Metadata.For(storage.StorageClassName, null, cluster.Name, "storage"),
            Provisioner = "ebs.csi.aws.com",
            Parameters =
            {
                ["type"] = "gp3",
                ["encrypted"] = "true",
                ["kmsKeyId"] = KmsKeyArn,
                ["iops"] = storage.EbsIops.ToString(CultureInfo.InvariantCulture),
                ["throughput"] = storage.EbsThroughputMiBps.ToString(CultureInfo.InvariantCulture),
                ["csi.storage.k8s.io/fstype"] = "ext4",
            },
            VolumeBindingMode = "WaitForFirstConsumer",
            AllowVolumeExpansion = true,
            ReclaimPolicy = "Retain",
        }, ChildOptions.Of(this, options));

        StorageClassName = storageClass.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["storageClassName"] = StorageClassName,
            ["kmsKeyArn"] = KmsKeyArn,
        });
    }
}
