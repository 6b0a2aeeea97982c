namespace PgHa.Core.Pods;

/// <summary>
/// What one feature (the Spilo/Patroni base, backups, monitoring, ...) puts into the database pod: its volumes, its
/// own containers (the base's database container, a sidecar), and what it adds to containers other features declare.
/// <see cref="PodLayout.Merge"/> puts the contributions together and refuses conflicts.
/// </summary>
/// <param name="Feature">Names the feature in conflict messages.</param>
public sealed record PodContribution(string Feature)
{
    public IReadOnlyList<PodVolume> Volumes { get; init; } = [];

    public IReadOnlyList<PodContainer> Containers { get; init; } = [];

    public IReadOnlyList<ContainerExtension> Extensions { get; init; } = [];
}
