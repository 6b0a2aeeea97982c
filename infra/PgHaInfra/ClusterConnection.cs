using Pulumi;
using K8s = Pulumi.Kubernetes;

namespace PgHa.Infra;

/// <summary>The explicit Kubernetes provider, and what another client needs to reach the same cluster.</summary>
public sealed record ClusterConnection(K8s.Provider Provider, Output<string>? Kubeconfig, string? KubeContext);
