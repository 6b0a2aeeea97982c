namespace PgHa.Core.Verification;

/// <summary>What a property of the replication check holds (the types of a Pulumi package schema).</summary>
public enum ContractValueType
{
    String,
    Integer,
    Number,
    Boolean,
    StringArray,

    /// <summary>An object with the fields of <see cref="ContractProperty.Fields"/>.</summary>
    Object,

    /// <summary>A list of objects with the fields of <see cref="ContractProperty.Fields"/>.</summary>
    ObjectArray,
}
