using PgHa.Core.Kubernetes;
using PgHa.Core.Patroni;
using PgHa.Core.Naming;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace PgHa.Infra.Components;

/// <summary>Pieces the cluster's pods share: the non-root security contexts, and the Jobs' run-once pods.</summary>
internal static class PodSpecParts
{
    /// <summary>The Spilo image's postgres user and group; volumes group-owned by it.</summary>
    public static PodSecurityContextArgs NonRootPod() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = (int)PodDefaults.SpiloUserId,
        RunAsGroup = (int)PodDefaults.SpiloGroupId,
        FsGroup = (int)PodDefaults.SpiloGroupId,
        SeccompProfile = new SeccompProfileArgs { Type = "RuntimeDefault" },
    };

    /// <summary>No privilege escalation, no capabilities.</summary>
    public static SecurityContextArgs RestrictedContainer(bool readOnlyRootFilesystem = false) => new()
    {
        AllowPrivilegeEscalation = false,
        Privileged = false,
        ReadOnlyRootFilesystem = readOnlyRootFilesystem,
        Capabilities = new CapabilitiesArgs { Drop = { "ALL" } },
    };

    /// <summary>A container that runs one bash script (Core's) in the cluster's image, non-root, no capabilities.</summary>
    public static ContainerArgs ScriptContainer(string name, string image, string script, IEnumerable<PodEnvVar> env, ResourceRequirementsArgs resources) => new()
    {
        Name = name,
        Image = image,
        Command = { "/bin/bash", "-c", script },
        Env = PodInputs.Env(env),
        Resources = resources,
        SecurityContext = RestrictedContainer(),
    };

    /// <summary>
    /// A Job that runs <paramref name="container"/> once to completion as the Spilo user. Its pod carries
    /// <see cref="Labels.TaskPod"/>, never the member labels: Patroni would count it as a member.
    /// </summary>
    public static JobSpecArgs RunOnce(string cluster, string component, ContainerArgs container, int backoffLimit, int activeDeadlineSeconds,
        params VolumeArgs[] volumes) => new()
    {
        BackoffLimit = backoffLimit,
        ActiveDeadlineSeconds = activeDeadlineSeconds,
        Template = new PodTemplateSpecArgs
        {
            Metadata = new ObjectMetaArgs { Labels = Metadata.ToInputMap(Labels.TaskPod(cluster, component)) },
            Spec = new PodSpecArgs
            {
                RestartPolicy = "Never",
                SecurityContext = NonRootPod(),
                Containers = { container },
                Volumes = volumes,
            },
        },
    };
}
