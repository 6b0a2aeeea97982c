namespace PgHa.Core.Patroni;

/// <summary>A key of a ConfigMap an environment variable takes its value from.</summary>
public sealed record ConfigMapKeyRef(string ConfigMapName, string Key);
