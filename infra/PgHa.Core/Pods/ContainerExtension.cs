using PgHa.Core.Patroni;

namespace PgHa.Core.Pods;

/// <summary>What a feature adds to a container another feature declares: environment variables and mounts.</summary>
public sealed record ContainerExtension(string Container)
{
    public IReadOnlyList<PodEnvVar> Env { get; init; } = [];

    public IReadOnlyList<PodVolumeMount> Mounts { get; init; } = [];
}
