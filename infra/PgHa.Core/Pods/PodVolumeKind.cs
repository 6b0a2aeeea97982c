namespace PgHa.Core.Pods;

/// <summary>Where a pod volume's content comes from.</summary>
public enum PodVolumeKind
{
    /// <summary>The StatefulSet's volumeClaimTemplate (one PVC per pod): mountable, but not listed among the pod's volumes.</summary>
    ClaimTemplate,

    /// <summary>An emptyDir, in memory when <see cref="PodVolume.Medium"/> says so.</summary>
    EmptyDir,

    /// <summary>A ConfigMap's keys as files.</summary>
    ConfigMap,

    /// <summary>A Secret's keys as files.</summary>
    Secret,
}
