using PgHa.Core.Patroni;

namespace PgHa.Core.Pods;

/// <summary>
/// A container of the database pod as a feature declares it: non-root, no privilege escalation, no capabilities
/// (what the security context always says); its env and mounts are its own, other features may add to them
/// (<see cref="ContainerExtension"/>).
/// </summary>
/// <param name="ImagePullPolicy">Null: Kubernetes' default for the image's tag.</param>
public sealed record PodContainer(string Name, string Image, ContainerResources Resources)
{
    public string? ImagePullPolicy { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<ContainerPort> Ports { get; init; } = [];

    public IReadOnlyList<PodEnvVar> Env { get; init; } = [];

    public IReadOnlyList<PodVolumeMount> Mounts { get; init; } = [];

    public HttpProbe? ReadinessProbe { get; init; }

    public HttpProbe? LivenessProbe { get; init; }

    public bool ReadOnlyRootFilesystem { get; init; }
}
