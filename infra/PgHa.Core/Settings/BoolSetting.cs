namespace PgHa.Core.Settings;

/// <summary>A true/false key with its default.</summary>
public sealed class BoolSetting(string name, string summary, bool defaultValue) : ConfigKey(name, summary, ProjectNamespace)
{
    public bool Default { get; } = defaultValue;

    public override ConfigKeyType Type => ConfigKeyType.Boolean;

    public override string? LimitsText => null;

    public override string DefaultText => $"Default: {Spelling(Default)}.";

    /// <summary>How config spells a boolean: <c>true</c>, <c>false</c>.</summary>
    public static string Spelling(bool value) => value ? "true" : "false";
}
