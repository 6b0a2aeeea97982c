namespace PgHa.Core.Pods;

/// <summary>An HTTP GET probe of a container's port (readiness or liveness).</summary>
/// <param name="InitialDelaySeconds">Null: the kubelet's default (probe at once).</param>
public sealed record HttpProbe(string Path, int Port, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold, int? InitialDelaySeconds = null);
