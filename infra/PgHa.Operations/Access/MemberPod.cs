namespace PgHa.Operations.Access;

/// <summary>A pod of the cluster as the Kubernetes API lists it.</summary>
public sealed record MemberPod(string Name, string? RoleLabel, bool Ready);
