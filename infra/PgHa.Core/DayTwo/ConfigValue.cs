namespace PgHa.Core.DayTwo;

/// <summary>
/// One leaf of Patroni's dynamic configuration in canonical text: numbers as digits, booleans as true/false,
/// strings as they are. Two values are the same setting when their texts are equal, whatever their JSON type
/// (Patroni hands back a parameter given as 10 or "10" either way).
/// </summary>
public sealed record ConfigValue(string Text, ConfigValueKind Kind)
{
    public bool Means(ConfigValue other) => string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override string ToString() => Text;
}
