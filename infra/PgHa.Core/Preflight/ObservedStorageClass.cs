namespace PgHa.Core.Preflight;

/// <summary>A StorageClass as the cluster has it.</summary>
/// <param name="AllowVolumeExpansion">Null when the class does not say (Kubernetes then refuses to grow its volumes).</param>
public sealed record ObservedStorageClass(string Name, string Provisioner, bool? AllowVolumeExpansion, IReadOnlyDictionary<string, string> Labels);
