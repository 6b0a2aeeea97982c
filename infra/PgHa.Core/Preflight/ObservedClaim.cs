namespace PgHa.Core.Preflight;

/// <summary>A PersistentVolumeClaim in the stack's namespace whose name a pod of this cluster would claim.</summary>
public sealed record ObservedClaim(string Name, string? StorageClassName);
