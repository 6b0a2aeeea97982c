namespace PgHa.Core.Pods;

/// <summary>A volume mounted into a container.</summary>
public sealed record PodVolumeMount(string Volume, string MountPath, bool ReadOnly = false);
