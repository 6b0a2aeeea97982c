using k8s;

namespace PgHa.Cli;

/// <summary>
/// Finds the kubeconfig context of an EKS cluster, so that a stack deployed with pgha:eksClusterName is never
/// operated through whatever context happens to be current.
/// </summary>
public static class KubeContexts
{
    /// <summary>(context name, cluster name) of every context in the user's kubeconfig; none when there is no kubeconfig.</summary>
    public static IReadOnlyList<(string Context, string Cluster)> FromKubeconfig()
    {
        var path = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0)
            ?? KubernetesClientConfiguration.KubeConfigDefaultLocation;
        if (!File.Exists(path))
        {
            return [];
        }

        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        return (config.Contexts ?? []).Where(c => c.Name is not null && c.ContextDetails?.Cluster is not null)
            .Select(c => (c.Name, c.ContextDetails.Cluster)).ToArray();
    }

    /// <summary>
    /// The one context whose cluster is the EKS cluster: named like it, or its ARN (what `aws eks update-kubeconfig`
    /// writes). None or several is a usage error naming the fix.
    /// </summary>
    public static string ForEksCluster(IEnumerable<(string Context, string Cluster)> contexts, string eksClusterName, string? region)
    {
        var matches = contexts
            .Where(c => c.Cluster == eksClusterName || c.Cluster.EndsWith(":cluster/" + eksClusterName, StringComparison.Ordinal))
            .Select(c => c.Context)
            .Distinct()
            .ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new CliUsageException(
                $"No kubeconfig context points at EKS cluster {eksClusterName}. Run: aws eks update-kubeconfig --name {eksClusterName}" +
                (region is null ? string.Empty : $" --region {region}") + "  (or pass --context)."),
            _ => throw new CliUsageException(
                $"Several kubeconfig contexts point at EKS cluster {eksClusterName} ({string.Join(", ", matches)}); pass --context <one of them>."),
        };
    }
}
