namespace PgHa.Core.Naming;

/// <summary>
/// Labels. The role label key and values are the single source for both what Patroni writes on pods
/// (through the Spilo environment) and what the Services select.
/// </summary>
public static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string AppName = "postgresql";

    /// <summary>The label Patroni sets on each pod with its role.</summary>
    public const string RoleKey = "role";

    /// <summary>Patroni 4 writes <c>primary</c> for the leader (Patroni 3 and Spilo's default wrote <c>master</c>).</summary>
    public const string PrimaryRole = "primary";

    public const string ReplicaRole = "replica";

    /// <summary>Selects the cluster's pods; immutable in a StatefulSet, so it never includes anything that may change.</summary>
    public static IReadOnlyDictionary<string, string> Selector(string cluster) => new Dictionary<string, string>
    {
        [Name] = AppName,
        [Instance] = cluster,
    };

    /// <summary>Kubernetes recommended labels for an object of the cluster.</summary>
    public static IReadOnlyDictionary<string, string> Common(string cluster, string component) => new Dictionary<string, string>
    {
        [Name] = AppName,
        [Instance] = cluster,
        [Component] = component,
        [PartOf] = "pg-ha",
        [ManagedBy] = "pulumi",
    };

    /// <summary>
    /// Labels of a pod that is not a member (a Job's pod): they name the cluster and the pod's purpose but never
    /// carry the member selector (<see cref="Selector"/>). Patroni counts every pod with its member labels as a
    /// member (a phantom replica with a slot that retains WAL), and the StatefulSet, PDB and Services select by them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TaskPod(string cluster, string component) => new Dictionary<string, string>
    {
        [Name] = $"{AppName}-{component}",
        [Instance] = cluster,
        [Component] = component,
        [PartOf] = "pg-ha",
        [ManagedBy] = "pulumi",
    };

    /// <summary>The components of the stack's Job pods (<see cref="TaskPod"/>): the app-database bootstrap and the migration.</summary>
    public const string BootstrapTask = "bootstrap";
    public const string MigrationTask = "migration";

    /// <summary>Selects the pods of one of the cluster's Jobs (<see cref="TaskPod"/>), never a member.</summary>
    public static IReadOnlyDictionary<string, string> TaskPodSelector(string cluster, string component) => new Dictionary<string, string>
    {
        [Name] = $"{AppName}-{component}",
        [Instance] = cluster,
    };

    /// <summary>The selector plus a Patroni role: what the read-write and read-only Services select.</summary>
    public static IReadOnlyDictionary<string, string> WithRole(string cluster, string role) =>
        new Dictionary<string, string>(Selector(cluster)) { [RoleKey] = role };
}
