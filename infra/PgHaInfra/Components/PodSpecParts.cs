using PgHa.Core.Kubernetes;
using PgHa.Core.Patroni;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

/// <summary>Pieces every pod of the cluster shares: environment from Core's data, and the non-root security contexts.</summary>
internal static class PodSpecParts
{
    public static InputList<EnvVarArgs> Env(IEnumerable<PodEnvVar> variables)
    {
        var env = new InputList<EnvVarArgs>();
        foreach (var variable in variables)
        {
            env.Add(ToEnvVar(variable));
        }

        return env;
    }

    private static EnvVarArgs ToEnvVar(PodEnvVar variable) => variable switch
    {
        { Secret: { } secret } => new EnvVarArgs
        {
            Name = variable.Name,
            ValueFrom = new EnvVarSourceArgs { SecretKeyRef = new SecretKeySelectorArgs { Name = secret.SecretName, Key = secret.Key } },
        },
        { FieldPath: { } path } => new EnvVarArgs
        {
            Name = variable.Name,
            ValueFrom = new EnvVarSourceArgs { FieldRef = new ObjectFieldSelectorArgs { FieldPath = path } },
        },
        _ => new EnvVarArgs { Name = variable.Name, Value = variable.Value! },
    };

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
}
