using System.Globalization;

namespace PgHa.Core.Settings;

/// <summary>A whole-number key with its default and the range it must lie in.</summary>
public sealed class IntSetting : ConfigKey
{
    public IntSetting(string name, string summary, int defaultValue, int min, int max)
        : base(name, summary, ProjectNamespace)
    {
        if (min > max || defaultValue < min || defaultValue > max)
        {
            throw new ArgumentException($"{FullName}: the default {defaultValue} lies outside its range {min} to {max}.");
        }

        Default = defaultValue;
        Min = min;
        Max = max;
    }

    public int Default { get; }

    public int Min { get; }

    public int Max { get; }

    /// <summary>The unit the range is read in (<c>seconds</c>, <c>MiB/s</c>), or null.</summary>
    public string? Unit { get; init; }

    /// <summary>Why the range is what it is (<c>Patroni's minimum is 20</c>), added to the error, or null.</summary>
    public string? Reason { get; init; }

    public override ConfigKeyType Type => ConfigKeyType.Integer;

    /// <summary>The range in words: <c>from 20 to 3600 seconds</c>.</summary>
    public string Range => string.Create(CultureInfo.InvariantCulture, $"from {Min} to {Max}") + (Unit is null ? string.Empty : " " + Unit);

    public override string LimitsText => Sentence(Range);

    public override string DefaultText => $"Default: {DefaultSpelling}.";

    public string DefaultSpelling => Default.ToString(CultureInfo.InvariantCulture);

    /// <summary>The problem with a value outside the range, or null.</summary>
    public string? Problem(int value) =>
        value >= Min && value <= Max ? null : $"must be {Range}{(Reason is null ? string.Empty : $" ({Reason})")}.";
}
