using System.Globalization;

namespace PgHa.Core.Verification;

/// <summary>
/// One input or output of the replication check, declared once (<see cref="ReplicationCheckContract"/>): its name, what
/// it holds, what it means, and for an input whether it is required, secret, limited to a range or to some values.
/// </summary>
/// <param name="Minimum">For a whole number: the least value accepted.</param>
/// <param name="Default">For an optional input: what its absence means.</param>
/// <param name="AllowedValues">For a string: the only spellings accepted.</param>
/// <param name="TypeName">For an object or a list of objects: the name of its type in the schema.</param>
/// <param name="Fields">For an object or a list of objects: the fields of each.</param>
public sealed record ContractProperty(
    string Name,
    ContractValueType Type,
    string Description,
    bool Required = false,
    bool Secret = false,
    long? Minimum = null,
    long? Maximum = null,
    string? Default = null,
    IReadOnlyList<string>? AllowedValues = null,
    string? TypeName = null,
    IReadOnlyList<ContractProperty>? Fields = null)
{
    /// <summary>What a value must be, for a failure message: "replicas must be a whole number from 2 to 9."</summary>
    /// <param name="given">The text given, named in the message of an input limited to some values.</param>
    public string Rule(string? given = null) => Type switch
    {
        ContractValueType.Integer or ContractValueType.Number =>
            $"{Name} must be a whole number from {Minimum?.ToString(CultureInfo.InvariantCulture)} to {Maximum?.ToString(CultureInfo.InvariantCulture)}.",
        ContractValueType.Boolean => $"{Name} must be true or false.",
        ContractValueType.String when AllowedValues is { Count: > 0 } values =>
            $"{Name}{(given is null ? string.Empty : $" \"{given}\"")} must be {string.Join(" or ", values)}.",
        _ => $"{Name} is required (a non-empty string).",
    };

    public override string ToString() => Name;
}
