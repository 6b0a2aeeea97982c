namespace PgHa.Core.Preflight;

/// <summary>A node as the scheduler would see it for a database pod.</summary>
/// <param name="Hostname">The kubernetes.io/hostname label (the anti-affinity topology), else the node name.</param>
/// <param name="Zone">The topology.kubernetes.io/zone label; null when the node has none.</param>
/// <param name="Unschedulable">Cordoned (spec.unschedulable).</param>
/// <param name="AllocatableCpu">Cores the node offers to pods; null when not reported.</param>
/// <param name="AllocatableMemory">Bytes the node offers to pods; null when not reported.</param>
public sealed record ObservedNode(
    string Name,
    string Hostname,
    string? Zone,
    bool Ready,
    bool Unschedulable,
    IReadOnlyList<ObservedTaint> Taints,
    decimal? AllocatableCpu,
    decimal? AllocatableMemory);
