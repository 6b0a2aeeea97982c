namespace PgHa.Core.Pods;

/// <summary>A volume of the database pod, by the name its mounts refer to.</summary>
/// <param name="ConfigMapName">The ConfigMap of a <see cref="PodVolumeKind.ConfigMap"/> volume.</param>
/// <param name="Medium">The medium of an <see cref="PodVolumeKind.EmptyDir"/> volume (<c>Memory</c>); null for the node's disk.</param>
public sealed record PodVolume(string Name, PodVolumeKind Kind, string? ConfigMapName = null, string? Medium = null)
{
    public static PodVolume ClaimTemplate(string name) => new(name, PodVolumeKind.ClaimTemplate);

    public static PodVolume InMemory(string name) => new(name, PodVolumeKind.EmptyDir, Medium: "Memory");

    public static PodVolume FromConfigMap(string name, string configMapName) => new(name, PodVolumeKind.ConfigMap, ConfigMapName: configMapName);
}
