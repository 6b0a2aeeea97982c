namespace PgHaInfra.Tests;

/// <summary>
/// The input paths on which pulumi-kubernetes replaces (deletes and creates) a resource instead of updating it, for
/// the kinds a running cluster must never lose: as its provider lists them in provider/pkg/provider/diff.go (the
/// <c>forceNew</c> table and <c>forceNewProperties</c>, pulumi/pulumi-kubernetes at 94977969d641). The label-selector
/// sub-paths the table also lists lie below <c>spec.selector</c>, which is compared whole.
/// </summary>
public static class ForceNewPaths
{
    public const string StatefulSet = "kubernetes:apps/v1:StatefulSet";
    public const string PersistentVolumeClaim = "kubernetes:core/v1:PersistentVolumeClaim";
    public const string Secret = "kubernetes:core/v1:Secret";
    public const string Service = "kubernetes:core/v1:Service";
    public const string ConfigMap = "kubernetes:core/v1:ConfigMap";

    /// <summary>The kinds whose replacement would take the cluster or its data down.</summary>
    public static readonly string[] Guarded = [StatefulSet, PersistentVolumeClaim, Secret, Service, ConfigMap];

    /// <summary>Every kind: its identity.</summary>
    private static readonly string[] Metadata = ["metadata.name", "metadata.namespace"];

    /// <summary>
    /// The paths of <paramref name="type"/>. A Secret's data and a ConfigMap's are force-new unless the Kubernetes
    /// provider has enableSecretMutable / enableConfigMapMutable (and the object is not immutable).
    /// </summary>
    public static IReadOnlyList<string> For(string type, bool secretMutable, bool configMapMutable) =>
    [
        .. Metadata,
        .. (string[])(type switch
        {
            StatefulSet => (string[])["spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
            PersistentVolumeClaim => ["spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
            Secret => secretMutable ? ["type"] : ["type", "stringData", "data"],
            Service => ["spec.clusterIP"],
            ConfigMap => configMapMutable ? [] : ["binaryData", "data"],
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a guarded kind"),
        }),
    ];
}
