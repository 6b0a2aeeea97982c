namespace PgHa.Operations.Kubernetes;

/// <summary>
/// The kubeconfig cannot be used: none found, unreadable, or no such context. The message names the files looked at
/// and what to do; the pgha command answers it with exit code 2 (nothing done), the program's preflight with its fix.
/// </summary>
public sealed class KubeconfigUnusableException(string message) : InvalidOperationException(message);
