namespace PgHa.Core.Settings;

/// <summary>
/// A key that takes one value of <typeparamref name="TEnum"/>, spelled in camel case in config (<c>eks</c>,
/// <c>portForward</c>). Every value is declared with what it means, so the docs list exactly the values the loader takes.
/// </summary>
public sealed class EnumSetting<TEnum> : ConfigKey
    where TEnum : struct, Enum
{
    public EnumSetting(string name, string summary, TEnum defaultValue, params (TEnum Value, string Meaning)[] values)
        : base(name, summary, ProjectNamespace)
    {
        var declared = values.Select(v => v.Value).ToArray();
        if (!declared.Order().SequenceEqual(Enum.GetValues<TEnum>().Order()))
        {
            throw new ArgumentException($"{FullName}: declare every value of {typeof(TEnum).Name} once, with its meaning.");
        }

        Default = defaultValue;
        Values = values;
    }

    public TEnum Default { get; }

    /// <summary>Every value with what it means, in the order the docs list them.</summary>
    public IReadOnlyList<(TEnum Value, string Meaning)> Values { get; }

    public override ConfigKeyType Type => ConfigKeyType.String;

    /// <summary>The values as config spells them: <c>eks, generic</c>.</summary>
    public string Allowed => string.Join(", ", Values.Select(v => Spelling(v.Value)));

    public override string LimitsText => "One of: " + string.Join("; ", Values.Select(v => $"{Spelling(v.Value)} ({v.Meaning})")) + ".";

    public override string DefaultText => $"Default: {Spelling(Default)}.";

    /// <summary>How config spells a value: the enum name with a lower-case first letter.</summary>
    public static string Spelling(TEnum value)
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>The value a text spells (case-insensitive, names only: a number is not a value), or null.</summary>
    public TEnum? Parse(string text) =>
        Values.Select(v => v.Value).Cast<TEnum?>().FirstOrDefault(v => string.Equals(Spelling(v!.Value), text, StringComparison.OrdinalIgnoreCase));
}
