using System.Text.Json.Nodes;
using PgHa.Core.Verification;

namespace PgHa.Provider;

/// <summary>
/// The pgha package schema (Pulumi's package schema format), generated from <see cref="ReplicationCheckContract"/>:
/// the ReplicationCheck resource with every input and output, and the object types of its outputs.
/// </summary>
public static class ReplicationCheckSchema
{
    public static string Json(string version)
    {
        var types = new JsonObject();
        var resource = new JsonObject
        {
            ["description"] = "Proves after every deploy that the cluster replicates: one primary, every replica streaming from it on its " +
                "timeline within the lag limit with a healthy slot, and the Services pointing at the right pods.",
            ["inputProperties"] = Properties(ReplicationCheckContract.Inputs, types),
            ["requiredInputs"] = Required(ReplicationCheckContract.Inputs),
            ["properties"] = Properties(ReplicationCheckContract.Outputs, types),
            ["required"] = Required(ReplicationCheckContract.Outputs),
        };
        return new JsonObject
        {
            ["name"] = ReplicationCheckContract.Package,
            ["version"] = version,
            ["resources"] = new JsonObject { [ReplicationCheckContract.ResourceType] = resource },
            ["types"] = types,
        }.ToJsonString();
    }

    private static JsonObject Properties(IEnumerable<ContractProperty> properties, JsonObject types) =>
        new(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Property(p, types))));

    private static JsonArray Required(IEnumerable<ContractProperty> properties) =>
        new(properties.Where(p => p.Required).Select(p => (JsonNode?)JsonValue.Create(p.Name)).ToArray());

    private static JsonObject Property(ContractProperty property, JsonObject types)
    {
        var spec = property.Type switch
        {
            ContractValueType.String => new JsonObject { ["type"] = "string" },
            ContractValueType.Integer => new JsonObject { ["type"] = "integer" },
            ContractValueType.Number => new JsonObject { ["type"] = "number" },
            ContractValueType.Boolean => new JsonObject { ["type"] = "boolean" },
            ContractValueType.StringArray => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            ContractValueType.Object => Reference(property, types),
            ContractValueType.ObjectArray => new JsonObject { ["type"] = "array", ["items"] = Reference(property, types) },
            _ => throw new ArgumentOutOfRangeException(nameof(property), property.Type, "no schema type for it"),
        };
        spec["description"] = Description(property);
        if (property.Secret)
        {
            spec["secret"] = true;
        }

        if (property.Default is { } value)
        {
            spec["default"] = property.Type == ContractValueType.Boolean ? JsonValue.Create(bool.Parse(value)) : JsonValue.Create(value);
        }

        return spec;
    }

    /// <summary>The limits are part of the description: the schema format has no place for a range.</summary>
    private static string Description(ContractProperty property) =>
        property.Minimum is not null || property.AllowedValues is not null ? $"{property.Description} {property.Rule()}" : property.Description;

    private static JsonObject Reference(ContractProperty property, JsonObject types)
    {
        var token = $"{ReplicationCheckContract.Package}:index:{property.TypeName}";
        types[token] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = Properties(property.Fields ?? [], types),
            ["required"] = Required(property.Fields ?? []),
        };
        return new JsonObject { ["$ref"] = $"#/types/{token}" };
    }
}
