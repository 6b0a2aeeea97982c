namespace PgHa.Core.Settings;

/// <summary>
/// A text key: optionally a rule its value must follow, and what holds when it is not set: a fixed default, the value
/// of another key, a sentence (when that depends on other keys), or nothing.
/// </summary>
public sealed class StringSetting : ConfigKey
{
    public StringSetting(string name, string summary, string keyNamespace = ProjectNamespace)
        : base(name, summary, keyNamespace)
    {
    }

    /// <summary>The value when the key is not set, or null.</summary>
    public string? Default { get; init; }

    /// <summary>The key whose value this one takes when it is not set, or null.</summary>
    public ConfigKey? DefaultFrom { get; init; }

    /// <summary>What holds when the key is not set, when that is neither a fixed value nor another key's (<c>none</c>).</summary>
    public string? Unset { get; init; }

    /// <summary>Whether a stack must always set the key.</summary>
    public bool Required { get; init; }

    /// <summary>What a value must look like, or null when any text is taken.</summary>
    public ValueRule? Rule { get; init; }

    public override ConfigKeyType Type => ConfigKeyType.String;

    public override string? LimitsText => Rule is null ? null : Sentence(Rule.Text);

    public override string? DefaultText =>
        Required ? "Required."
        : Default is not null ? $"Default: {Default}."
        : DefaultFrom is not null ? $"Default: the value of {DefaultFrom.FullName}."
        : Unset is not null ? Sentence(Unset)
        : null;

    /// <summary>The problem with a value, or null when the rule takes it (or there is none).</summary>
    public string? Problem(string value) => value.Any(char.IsControl)
        ? "contains a control character (a tab, a line break or another invisible character)."
        : Rule?.Problem(value);
}
