namespace PgHa.Core.Patroni;

/// <summary>A container environment variable: a literal, a key of a Secret or of a ConfigMap, or a field of the pod.</summary>
public sealed record PodEnvVar(string Name, string? Value = null, SecretKeyRef? Secret = null, string? FieldPath = null, ConfigMapKeyRef? ConfigMap = null)
{
    public static PodEnvVar Literal(string name, string value) => new(name, Value: value);

    public static PodEnvVar FromSecret(string name, string secretName, string key) => new(name, Secret: new SecretKeyRef(secretName, key));

    public static PodEnvVar FromConfigMap(string name, string configMapName, string key) => new(name, ConfigMap: new ConfigMapKeyRef(configMapName, key));

    public static PodEnvVar FromField(string name, string fieldPath) => new(name, FieldPath: fieldPath);
}

public sealed record SecretKeyRef(string SecretName, string Key);
