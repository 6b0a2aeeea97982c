using System.Text.Json.Nodes;
using PgHa.Core.Credentials;
using PgHa.Core.DayTwo;
using PgHa.Core.Tls;
using PgHa.Core.Verification;

namespace PgHa.Provider;

/// <summary>
/// The pgha package schema (Pulumi's package schema format), generated from the resources' contracts
/// (<see cref="ReplicationCheckContract"/>, <see cref="ClusterRolloutContract"/>, <see cref="ClusterCertificatesContract"/>,
/// <see cref="GeneratedPasswordContract"/>): each resource with every input and
/// output, and the object types of its outputs.
/// </summary>
public static class PackageSchema
{
    public static string Json(string version)
    {
        var types = new JsonObject();
        return new JsonObject
        {
            ["name"] = ReplicationCheckContract.Package,
            ["version"] = version,
            ["resources"] = new JsonObject
            {
                [ReplicationCheckContract.ResourceType] = Resource(
                    "Proves after every deploy that the cluster replicates: one primary, every replica streaming from it on its " +
                    "timeline within the lag limit with a healthy slot, and the Services pointing at the right pods.",
                    ReplicationCheckContract.Inputs, ReplicationCheckContract.Outputs, types),
                [ClusterRolloutContract.ResourceType] = Resource(
                    "Brings a running cluster to the stack's settings on every pulumi up, the way the database wants it: volumes grown in " +
                    "place, Patroni settings applied live, passwords set on the roles first, replicas restarted one at a time, one switchover, the old primary last.",
                    ClusterRolloutContract.Inputs, ClusterRolloutContract.Outputs, types),
                [ClusterCertificatesContract.ResourceType] = Resource(
                    "A CA and a server certificate for the cluster's DNS names, made once and kept in state; renewed before expiry or " +
                    "when the names change, keeping the CA until it nears its own expiry.",
                    ClusterCertificatesContract.Inputs, ClusterCertificatesContract.Outputs, types),
                [GeneratedPasswordContract.ResourceType] = Resource(
                    "A password generated once and kept in state as a secret; a new one only when the length changes or the resource is replaced.",
                    GeneratedPasswordContract.Inputs, GeneratedPasswordContract.Outputs, types),
            },
            ["types"] = types,
        }.ToJsonString();
    }

    private static JsonObject Resource(string description, IReadOnlyList<ContractProperty> inputs, IReadOnlyList<ContractProperty> outputs,
        JsonObject types) => new()
    {
        ["description"] = description,
        ["inputProperties"] = Properties(inputs, types),
        ["requiredInputs"] = Required(inputs),
        ["properties"] = Properties(outputs, types),
        ["required"] = Required(outputs),
    };

    private static JsonObject Properties(IEnumerable<ContractProperty> properties, JsonObject types) =>
        new(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Property(p, types))));

    internal static JsonArray Required(IEnumerable<ContractProperty> properties) =>
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
