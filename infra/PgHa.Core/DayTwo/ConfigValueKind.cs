namespace PgHa.Core.DayTwo;

/// <summary>The JSON type a Patroni configuration value is sent as.</summary>
public enum ConfigValueKind
{
    Number,
    Boolean,
    String,

    /// <summary>A JSON array, kept as its raw text; observed only, never compared or sent.</summary>
    Array,
}
