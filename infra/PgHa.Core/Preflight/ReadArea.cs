namespace PgHa.Core.Preflight;

/// <summary>What the preflight reads, area by area; an area the API refuses is reported and its checks are skipped.</summary>
public enum ReadArea
{
    Namespace,
    StorageClasses,
    CsiDrivers,
    Nodes,
    CustomResourceDefinitions,
    ConfigMaps,
    Deployments,
    Secrets,
    StatefulSet,
    PersistentVolumeClaims,
}
