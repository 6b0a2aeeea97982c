using System.Text.Json.Nodes;
using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>The pgha package schema: the ReplicationCheck (<see cref="ReplicationCheckSchema"/>) and the ClusterRollout, from their contracts.</summary>
public static class PgHaSchema
{
    public static string Json(string version)
    {
        var schema = JsonNode.Parse(ReplicationCheckSchema.Json(version))!.AsObject();
        var types = schema["types"]!.AsObject();
        schema["resources"]![ClusterRolloutContract.ResourceType] = new JsonObject
        {
            ["description"] = "Brings a running cluster to the stack's settings on every pulumi up, the way the database wants it: volumes grown in " +
                "place, Patroni settings applied live, passwords set on the roles first, replicas restarted one at a time, one switchover, the old primary last.",
            ["inputProperties"] = ReplicationCheckSchema.Properties(ClusterRolloutContract.Inputs, types),
            ["requiredInputs"] = ReplicationCheckSchema.Required(ClusterRolloutContract.Inputs),
            ["properties"] = ReplicationCheckSchema.Properties(ClusterRolloutContract.Outputs, types),
            ["required"] = ReplicationCheckSchema.Required(ClusterRolloutContract.Outputs),
        };
        return schema.ToJsonString();
    }
}
