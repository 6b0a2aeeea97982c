namespace PgHa.Core.Kubernetes;

/// <summary>One RBAC rule: verbs on resources of an API group ("" is the core group).</summary>
public sealed record PolicyRule(string ApiGroup, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs);
