using k8s;
using PgHa.Operations.Kubernetes;

namespace PgHa.Provider;

/// <summary>How the provider's resources reach the Kubernetes API: the kubeconfig the stack passed (an EKS cluster's), else the user's as kubectl finds it.</summary>
public static class ProviderKubeconfig
{
    public static async Task<KubernetesClientConfiguration> ResolveAsync(string? kubeconfig, string? context)
    {
        if (kubeconfig is null)
        {
            // The user's kubeconfig as kubectl and Pulumi find it: every file of KUBECONFIG, else ~/.kube/config.
            return KubeconfigFiles.FromEnvironment().ClientConfiguration(context, "pgha:kubeContext");
        }

        await using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(kubeconfig));
        var parsed = await KubernetesClientConfiguration.LoadKubeConfigAsync(stream).ConfigureAwait(false);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(parsed, context);
    }
}
