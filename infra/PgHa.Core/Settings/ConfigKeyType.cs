namespace PgHa.Core.Settings;

/// <summary>The type a config key declares in Pulumi.yaml's project config schema.</summary>
public enum ConfigKeyType
{
    String,
    Integer,
    Boolean,
}
