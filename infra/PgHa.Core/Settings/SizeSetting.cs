namespace PgHa.Core.Settings;

/// <summary>A PostgreSQL size (<c>16MB</c>, <c>4GB</c>) with its default, as PostgreSQL itself spells it.</summary>
public sealed class SizeSetting : ConfigKey
{
    public SizeSetting(string name, string summary, string defaultValue)
        : base(name, summary, ProjectNamespace)
    {
        DefaultBytes = PostgresSize.TryParse(defaultValue)
            ?? throw new ArgumentException($"{FullName}: the default {defaultValue} is not a PostgreSQL size.");
        Default = defaultValue;
    }

    public string Default { get; }

    public long DefaultBytes { get; }

    /// <summary>A further rule, checked first (e.g. not -1), or null.</summary>
    public ValueRule? Rule { get; init; }

    public override ConfigKeyType Type => ConfigKeyType.String;

    public override string LimitsText =>
        "A PostgreSQL size (a whole number with B, kB, MB, GB or TB)" + (Rule is null ? string.Empty : ", " + Rule.Text) + ".";

    public override string DefaultText => $"Default: {Default}.";

    /// <summary>The problem with a value, or null when it is a size this key takes.</summary>
    public string? Problem(string value) =>
        Rule?.Problem(value)
        ?? (PostgresSize.TryParse(value) is null ? $"is not a PostgreSQL size (a whole number with B, kB, MB, GB or TB, e.g. {Default})." : null);
}
