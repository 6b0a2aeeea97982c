using Pulumi;
using K8s = Pulumi.Kubernetes;

namespace PgHa.Infra;

/// <summary>The explicit Kubernetes provider, and what another client needs to reach the same cluster.</summary>
/// <param name="OidcIssuer">The EKS cluster's OIDC issuer URL when it was looked up (eksClusterName), for IRSA.</param>
public sealed record ClusterConnection(K8s.Provider Provider, Output<string>? Kubeconfig, string? KubeContext, Output<string>? OidcIssuer = null);
