namespace PgHa.Core.Preflight;

/// <summary>
/// What the preflight read from the target cluster, read-only (see <see cref="PreflightReads"/> for what is asked).
/// Each list holds only what exists; an area the API refused is in <see cref="Unread"/> and is not judged.
/// </summary>
public sealed record ClusterSnapshot
{
    /// <summary>The stack's namespace; null when it does not exist.</summary>
    public ObservedObject? Namespace { get; init; }

    public IReadOnlyList<ObservedStorageClass> StorageClasses { get; init; } = [];

    /// <summary>Names of the installed CSI drivers (read on eks only).</summary>
    public IReadOnlyList<string> CsiDrivers { get; init; } = [];

    public IReadOnlyList<ObservedNode> Nodes { get; init; } = [];

    /// <summary>The CustomResourceDefinitions asked for that exist.</summary>
    public IReadOnlyList<string> CustomResourceDefinitions { get; init; } = [];

    /// <summary>
    /// What adds nodes for Pending pods (Karpenter, cluster-autoscaler) when one was seen; null when none was (or it
    /// could not be seen). With one, too few nodes is a warning instead of an error.
    /// </summary>
    public string? NodeAutoscaler { get; init; }

    /// <summary>The ConfigMaps asked for that exist.</summary>
    public IReadOnlyList<ObservedObject> ConfigMaps { get; init; } = [];

    /// <summary>The Deployments asked for that exist.</summary>
    public IReadOnlyList<ObservedObject> Deployments { get; init; } = [];

    /// <summary>The Secrets asked for that exist.</summary>
    public IReadOnlyList<ObservedSecret> Secrets { get; init; } = [];

    /// <summary>The StatefulSet named like the cluster, when one exists in the namespace.</summary>
    public ObservedObject? StatefulSet { get; init; }

    /// <summary>Claims named like this cluster's data volumes (pgdata-&lt;cluster&gt;-&lt;n&gt;).</summary>
    public IReadOnlyList<ObservedClaim> Claims { get; init; } = [];

    public IReadOnlyList<UnreadArea> Unread { get; init; } = [];

    public bool WasRead(ReadArea area) => Unread.All(u => u.Area != area);
}
