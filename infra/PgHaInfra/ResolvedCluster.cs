using PgHa.Operations.Kubernetes;
using Aws = Pulumi.Aws;

namespace PgHa.Infra;

/// <summary>
/// The cluster the stack targets, resolved before anything is created: the kubeconfig context, or the EKS cluster as
/// looked up (an invoke, not a resource) with the kubeconfig rendered for it. The preflight and the Kubernetes provider
/// both use <see cref="Target"/>, so they reach the same cluster with the same credentials.
/// </summary>
/// <param name="Eks">The lookup, with pgha:eksClusterName; null with pgha:kubeContext.</param>
internal sealed record ResolvedCluster(KubeconfigTarget Target, Aws.Eks.GetClusterResult? Eks);
