namespace PgHa.Core.Pods;

/// <summary>A container's requests and limits (resource name, e.g. cpu or memory, to a Kubernetes quantity).</summary>
public sealed record ContainerResources(IReadOnlyDictionary<string, string> Requests, IReadOnlyDictionary<string, string> Limits);
