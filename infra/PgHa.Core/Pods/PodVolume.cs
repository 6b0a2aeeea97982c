namespace PgHa.Core.Pods;

/// <summary>A volume of the database pod, by the name its mounts refer to.</summary>
/// <param name="ConfigMapName">The ConfigMap of a <see cref="PodVolumeKind.ConfigMap"/> volume.</param>
/// <param name="Medium">The medium of an <see cref="PodVolumeKind.EmptyDir"/> volume (<c>Memory</c>); null for the node's disk.</param>
/// <param name="SecretName">The Secret of a <see cref="PodVolumeKind.Secret"/> volume.</param>
/// <param name="DefaultMode">The files' mode in a Secret volume (e.g. 0640: the pod's fsGroup may read, nobody else).</param>
public sealed record PodVolume(string Name, PodVolumeKind Kind, string? ConfigMapName = null, string? Medium = null, string? SecretName = null,
    int? DefaultMode = null)
{
    public static PodVolume ClaimTemplate(string name) => new(name, PodVolumeKind.ClaimTemplate);

    public static PodVolume InMemory(string name) => new(name, PodVolumeKind.EmptyDir, Medium: "Memory");

    public static PodVolume FromConfigMap(string name, string configMapName) => new(name, PodVolumeKind.ConfigMap, ConfigMapName: configMapName);

    public static PodVolume FromSecret(string name, string secretName, int defaultMode) =>
        new(name, PodVolumeKind.Secret, SecretName: secretName, DefaultMode: defaultMode);
}
