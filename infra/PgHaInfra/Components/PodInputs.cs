using System.Collections.Immutable;
using PgHa.Core.Patroni;
using PgHa.Core.Pods;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

/// <summary>Core's pod model as Pulumi Kubernetes inputs: a plain conversion, no decisions.</summary>
internal static class PodInputs
{
    /// <summary>The pod's containers, in the layout's order.</summary>
    public static InputList<ContainerArgs> Containers(Output<PodLayout> layout) =>
        layout.Apply(l => l.Containers.Select(Container).ToImmutableArray());

    /// <summary>The pod's volumes; claim-template volumes are the StatefulSet's volumeClaimTemplates, not listed here.</summary>
    public static InputList<VolumeArgs> Volumes(Output<PodLayout> layout) =>
        layout.Apply(l => l.Volumes.Where(v => v.Kind != PodVolumeKind.ClaimTemplate).Select(Volume).ToImmutableArray());

    public static ImmutableArray<EnvVarArgs> Env(IEnumerable<PodEnvVar> variables) => [.. variables.Select(EnvVar)];

    private static ContainerArgs Container(PodContainer container)
    {
        var args = new ContainerArgs
        {
            Name = container.Name,
            Image = container.Image,
            Ports = container.Ports.Select(p => new ContainerPortArgs { Name = p.Name, ContainerPortValue = p.Port, Protocol = "TCP" }).ToArray(),
            Env = Env(container.Env),
            Resources = new ResourceRequirementsArgs
            {
                Requests = Metadata.ToInputMap(container.Resources.Requests),
                Limits = Metadata.ToInputMap(container.Resources.Limits),
            },
            SecurityContext = PodSpecParts.RestrictedContainer(container.ReadOnlyRootFilesystem),
            VolumeMounts = container.Mounts.Select(Mount).ToArray(),
        };
        if (container.ImagePullPolicy is { } pullPolicy)
        {
            args.ImagePullPolicy = pullPolicy;
        }

        if (container.Args.Count > 0)
        {
            args.Args = container.Args.ToArray();
        }

        if (container.ReadinessProbe is { } readiness)
        {
            args.ReadinessProbe = Probe(readiness);
        }

        if (container.LivenessProbe is { } liveness)
        {
            args.LivenessProbe = Probe(liveness);
        }

        return args;
    }

    private static ProbeArgs Probe(HttpProbe probe)
    {
        var args = new ProbeArgs
        {
            HttpGet = new HTTPGetActionArgs { Path = probe.Path, Port = probe.Port, Scheme = probe.Scheme },
            PeriodSeconds = probe.PeriodSeconds,
            TimeoutSeconds = probe.TimeoutSeconds,
            FailureThreshold = probe.FailureThreshold,
        };
        if (probe.InitialDelaySeconds is { } delay)
        {
            args.InitialDelaySeconds = delay;
        }

        return args;
    }

    private static VolumeMountArgs Mount(PodVolumeMount mount)
    {
        var args = new VolumeMountArgs { Name = mount.Volume, MountPath = mount.MountPath };
        if (mount.ReadOnly)
        {
            args.ReadOnly = true;
        }

        return args;
    }

    private static VolumeArgs Volume(PodVolume volume) => volume.Kind switch
    {
        PodVolumeKind.EmptyDir => new VolumeArgs { Name = volume.Name, EmptyDir = EmptyDir(volume.Medium) },
        PodVolumeKind.ConfigMap => new VolumeArgs { Name = volume.Name, ConfigMap = new ConfigMapVolumeSourceArgs { Name = volume.ConfigMapName! } },
        PodVolumeKind.Secret => new VolumeArgs
        {
            Name = volume.Name,
            Secret = volume.DefaultMode is { } mode
                ? new SecretVolumeSourceArgs { SecretName = volume.SecretName!, DefaultMode = mode }
                : new SecretVolumeSourceArgs { SecretName = volume.SecretName! },
        },
        _ => throw new ArgumentException($"volume {volume.Name} ({volume.Kind}) is not a pod volume", nameof(volume)),
    };

    private static EmptyDirVolumeSourceArgs EmptyDir(string? medium) => medium is null ? new() : new() { Medium = medium };

    private static EnvVarArgs EnvVar(PodEnvVar variable) => variable switch
    {
        { Secret: { } secret } => new EnvVarArgs
        {
            Name = variable.Name,
            ValueFrom = new EnvVarSourceArgs { SecretKeyRef = new SecretKeySelectorArgs { Name = secret.SecretName, Key = secret.Key } },
        },
        { ConfigMap: { } configMap } => new EnvVarArgs
        {
            Name = variable.Name,
            ValueFrom = new EnvVarSourceArgs { ConfigMapKeyRef = new ConfigMapKeySelectorArgs { Name = configMap.ConfigMapName, Key = configMap.Key } },
        },
        { FieldPath: { } path } => new EnvVarArgs
        {
            Name = variable.Name,
            ValueFrom = new EnvVarSourceArgs { FieldRef = new ObjectFieldSelectorArgs { FieldPath = path } },
        },
        _ => new EnvVarArgs { Name = variable.Name, Value = variable.Value! },
    };
}
