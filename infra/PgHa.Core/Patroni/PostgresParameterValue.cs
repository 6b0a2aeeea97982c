using System.Globalization;

namespace PgHa.Core.Patroni;

/// <summary>
/// A PostgreSQL parameter's value as Patroni's YAML carries it: a string (<c>on</c>, <c>4GB</c>, <c>replica</c>) or an
/// integer (<c>10</c>). Nothing else: PyYAML reads an unquoted <c>on</c> as a boolean, so booleans are written as the
/// strings PostgreSQL takes.
/// </summary>
public readonly record struct PostgresParameterValue
{
    private PostgresParameterValue(string? text, int? number)
    {
        Text = text;
        Number = number;
    }

    /// <summary>The value when it is a string; null when it is an integer.</summary>
    public string? Text { get; }

    /// <summary>The value when it is an integer; null when it is a string.</summary>
    public int? Number { get; }

    /// <summary>The value as it is serialized: a string or a boxed integer.</summary>
    public object Value => Text ?? (object)Number!.Value;

    public static implicit operator PostgresParameterValue(string text) => FromText(text);

    public static implicit operator PostgresParameterValue(int number) => FromNumber(number);

    public static PostgresParameterValue FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    public static PostgresParameterValue FromNumber(int number) => new(null, number);

    public override string ToString() => Text ?? Number!.Value.ToString(CultureInfo.InvariantCulture);
}
