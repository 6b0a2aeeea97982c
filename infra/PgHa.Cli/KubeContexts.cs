namespace PgHa.Cli;

/// <summary>
/// Finds the kubeconfig context of an EKS cluster, so that a stack deployed with pgha:eksClusterName is never
/// operated through whatever context happens to be current.
/// </summary>
public static class KubeContexts
{
    /// <summary>The command that adds the EKS cluster's context to the kubeconfig.</summary>
    public static string UpdateKubeconfigCommand(string eksClusterName, string? region) =>
        $"aws eks update-kubeconfig --name {eksClusterName}" + (region is null ? string.Empty : $" --region {region}");

    /// <summary>
    /// The one context whose cluster is the EKS cluster: named like it, or its ARN (what `aws eks update-kubeconfig`
    /// writes). None or several is a usage error naming the fix.
    /// </summary>
    /// <param name="lookedAt">Which kubeconfig files the contexts came from, for the message.</param>
    public static string ForEksCluster(IEnumerable<(string Context, string Cluster)> contexts, string eksClusterName, string? region, string lookedAt)
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
                $"No kubeconfig context points at EKS cluster {eksClusterName} (looked at {lookedAt}). Run: {UpdateKubeconfigCommand(eksClusterName, region)}" +
                "  (or pass --context)."),
            _ => throw new CliUsageException(
                $"Several kubeconfig contexts point at EKS cluster {eksClusterName} ({string.Join(", ", matches)}, in {lookedAt}); pass --context <one of them>."),
        };
    }
}
