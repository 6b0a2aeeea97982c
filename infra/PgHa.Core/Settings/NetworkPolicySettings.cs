namespace PgHa.Core.Settings;

/// <summary>
/// The NetworkPolicies around the cluster (null when pgha:networkPolicies is false): which app pods may reach
/// PostgreSQL, and where Prometheus runs.
/// </summary>
/// <param name="AppNamespace">The namespace of the app's pods.</param>
/// <param name="AppPodLabels">The labels that select the app's pods there; empty: every pod of that namespace.</param>
/// <param name="MonitoringNamespace">Where Prometheus scrapes from (used with pgha:monitoring).</param>
public sealed record NetworkPolicySettings(string AppNamespace, IReadOnlyDictionary<string, string> AppPodLabels, string MonitoringNamespace);
