using PgHa.Core.Naming;
using PgHa.Core.Settings;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;

namespace PgHa.Cli;

/// <summary>How the user named the cluster on the command line.</summary>
/// <param name="Kubeconfig">The user's kubeconfig, read here only for a stack on an EKS cluster (to find its context);
/// default: from KUBECONFIG, else ~/.kube/config.</param>
public sealed record TargetOptions(string? Stack, string? Namespace, string? Cluster, string? Context, string StackDirectory,
    KubeconfigFiles? Kubeconfig = null)
{
    /// <summary>Default lag limit without a stack (the stack default of pgha:readinessMaxLag).</summary>
    public static long DefaultMaxLagBytes => ConfigKeys.ReadinessMaxLag.DefaultBytes;

    /// <summary>The target, or a <see cref="CliUsageException"/> saying exactly what to pass instead.</summary>
    public ClusterTarget Resolve()
    {
        if (Stack is not null && (Namespace is not null || Cluster is not null))
        {
            throw new CliUsageException("--stack reads the namespace and cluster from the stack; do not also pass --namespace or --cluster.");
        }

        if (Stack is null)
        {
            if (Namespace is null)
            {
                throw new CliUsageException("Which cluster? Pass --stack <stack> (reads Pulumi.<stack>.yaml) or --namespace <namespace> [--cluster <name>].");
            }

            var cluster = Cluster ?? ConfigKeys.ClusterName.Default!;
            return new ClusterTarget(Namespace, cluster, Context, new ResourceNames(cluster).SuperuserSecret, null, DefaultMaxLagBytes, ExpectArchiving: false);
        }

        var path = Path.Combine(StackDirectory, $"Pulumi.{Stack}.yaml");
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--stack {Stack}: {path} does not exist. Run pgha from the repository root, or pass --namespace and --cluster.");
        }

        StackFileConfig file;
        try
        {
            file = StackFileConfig.Load(path);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliUsageException($"--stack {Stack}: {path} is not valid YAML: {e.Message}");
        }

        var (settings, errors) = SettingsLoader.TryLoadNames(file);
        if (settings is null)
        {
            throw new CliUsageException($"--stack {Stack}: {path} is not valid:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        return new ClusterTarget(settings.Cluster.Namespace, settings.Cluster.Name, Context ?? settings.Access.KubeContext ?? EksContext(settings.Access),
            settings.Credentials.Superuser.ExistingSecretName ?? new ResourceNames(settings.Cluster.Name).SuperuserSecret,
            settings.Cluster.Replicas, settings.Patroni.ReadinessMaxLagBytes, settings.Backup is not null);
    }

    /// <summary>A stack on EKS: the kubeconfig context of that cluster, never simply the current one.</summary>
    private string? EksContext(ClusterAccess access)
    {
        if (access.EksClusterName is not { } eks)
        {
            return null;
        }

        var kubeconfig = Kubeconfig ?? KubeconfigFiles.FromEnvironment();
        return kubeconfig.Exists
            ? KubeContexts.ForEksCluster(kubeconfig.Contexts(), eks, access.AwsRegion, kubeconfig.Describe())
            : throw kubeconfig.Missing(KubeContexts.UpdateKubeconfigCommand(eks, access.AwsRegion));
    }
}
