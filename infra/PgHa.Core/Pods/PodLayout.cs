using PgHa.Core.Patroni;

namespace PgHa.Core.Pods;

/// <summary>
/// The database pod's containers and volumes, merged from the features' contributions in their order: volumes and
/// containers as contributed; each container's env and mounts its own first, then what each later feature adds.
/// </summary>
public sealed record PodLayout(IReadOnlyList<PodContainer> Containers, IReadOnlyList<PodVolume> Volumes)
{
    /// <summary>
    /// Merges <paramref name="contributions"/>. A conflict is an error naming both features: a volume, a container or
    /// an environment variable (within one container) given twice, two mounts at one path of a container, a mount of a
    /// volume no feature declares, an addition to a container no feature declares.
    /// </summary>
    /// <exception cref="InvalidOperationException">The contributions conflict.</exception>
    public static PodLayout Merge(IEnumerable<PodContribution> contributions)
    {
        var all = contributions.ToArray();
        var volumes = new List<PodVolume>();
        var volumeOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        var containers = new List<ContainerDraft>();
        foreach (var contribution in all)
        {
            foreach (var volume in contribution.Volumes)
            {
                if (!volumeOwners.TryAdd(volume.Name, contribution.Feature))
                {
                    throw Conflict($"volume '{volume.Name}'", volumeOwners[volume.Name], contribution.Feature);
                }

                volumes.Add(volume);
            }

            foreach (var container in contribution.Containers)
            {
                if (containers.Find(c => c.Container.Name == container.Name) is { } existing)
                {
                    throw Conflict($"container '{container.Name}'", existing.Feature, contribution.Feature);
                }

                containers.Add(new ContainerDraft(container, contribution.Feature));
            }
        }

        foreach (var draft in containers)
        {
            draft.Add(draft.Feature, draft.Container.Env, draft.Container.Mounts);
        }

        foreach (var contribution in all)
        {
            foreach (var extension in contribution.Extensions)
            {
                var draft = containers.Find(c => c.Container.Name == extension.Container)
                    ?? throw new InvalidOperationException(
                        $"Pod contributions conflict: {contribution.Feature} adds to container '{extension.Container}', which no feature declares.");
                draft.Add(contribution.Feature, extension.Env, extension.Mounts);
            }
        }

        foreach (var draft in containers)
        {
            foreach (var (mount, feature) in draft.Mounts)
            {
                if (!volumeOwners.ContainsKey(mount.Volume))
                {
                    throw new InvalidOperationException(
                        $"Pod contributions conflict: {feature} mounts volume '{mount.Volume}' into container '{draft.Container.Name}', but no feature declares that volume.");
                }
            }
        }

        return new PodLayout([.. containers.Select(c => c.Merged())], volumes);
    }

    private static InvalidOperationException Conflict(string what, string first, string second) =>
        new($"Pod contributions conflict: {what} comes from both {first} and {second}.");

    /// <summary>A container being merged: its env and mounts so far, each with the feature that gave it.</summary>
    private sealed class ContainerDraft(PodContainer container, string feature)
    {
        public PodContainer Container { get; } = container;

        public string Feature { get; } = feature;

        public List<(PodEnvVar Variable, string Feature)> Env { get; } = [];

        public List<(PodVolumeMount Mount, string Feature)> Mounts { get; } = [];

        public void Add(string from, IEnumerable<PodEnvVar> env, IEnumerable<PodVolumeMount> mounts)
        {
            foreach (var variable in env)
            {
                if (Env.Find(e => e.Variable.Name == variable.Name) is { Variable: not null } existing)
                {
                    throw Conflict($"environment variable '{variable.Name}' of container '{Container.Name}'", existing.Feature, from);
                }

                Env.Add((variable, from));
            }

            foreach (var mount in mounts)
            {
                if (Mounts.Find(m => m.Mount.MountPath == mount.MountPath) is { Mount: not null } existing)
                {
                    throw Conflict($"mount path '{mount.MountPath}' of container '{Container.Name}'", existing.Feature, from);
                }

                Mounts.Add((mount, from));
            }
        }

        public PodContainer Merged() => Container with
        {
            Env = [.. Env.Select(e => e.Variable)],
            Mounts = [.. Mounts.Select(m => m.Mount)],
        };
    }
}
