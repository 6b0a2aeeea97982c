using System.Text;
using k8s;

namespace PgHa.Operations.Kubernetes;

/// <summary>
/// The cluster a stack targets, as a Kubernetes client reaches it: a context of the user's kubeconfig (pgha:kubeContext),
/// or a kubeconfig document (the one the program renders for pgha:eksClusterName). The document names the cluster's
/// endpoint and is never printed; <see cref="ToString"/> only says which cluster it is.
/// </summary>
public sealed class KubeconfigTarget
{
    private KubeconfigTarget(string description, string? context, string? kubeconfig)
    {
        Description = description;
        Context = context;
        Kubeconfig = kubeconfig;
    }

    /// <summary>What to call the cluster in messages, e.g. "kubeconfig context dev-cluster".</summary>
    public string Description { get; }

    /// <summary>The kubeconfig context, when the target is one.</summary>
    public string? Context { get; }

    /// <summary>The kubeconfig document, when the target is one.</summary>
    public string? Kubeconfig { get; }

    public static KubeconfigTarget ForContext(string context) => new($"kubeconfig context {context}", context, null);

    public static KubeconfigTarget ForDocument(string kubeconfig, string description) => new(description, null, kubeconfig);

    /// <summary>
    /// The client configuration: the document, or the context in the user's kubeconfig as kubectl and `pulumi` read it
    /// (<see cref="KubeconfigFiles"/>: every file of KUBECONFIG merged, else ~/.kube/config).
    /// </summary>
    /// <param name="kubeconfig">Where the user's kubeconfig is; default: from this process's environment.</param>
    public KubernetesClientConfiguration ClientConfiguration(KubeconfigFiles? kubeconfig = null)
    {
        if (Kubeconfig is not null)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Kubeconfig));
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
        }

        return (kubeconfig ?? KubeconfigFiles.FromEnvironment()).ClientConfiguration(Context, "kubeconfig context");
    }

    public override string ToString() => Description;
}
