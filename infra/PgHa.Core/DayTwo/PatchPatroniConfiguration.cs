using System.Text.Json.Nodes;

namespace PgHa.Core.DayTwo;

/// <summary>
/// Apply the differing keys of Patroni's dynamic configuration live with one <c>PATCH /config</c>; no pod restarts.
/// Parameters that need a restart are marked; the restarts they need are separate steps of the same plan.
/// </summary>
public sealed record PatchPatroniConfiguration(IReadOnlyList<ConfigurationChange> Changes) : DayTwoStep
{
    public override string Description =>
        "patch Patroni config: " + string.Join(", ", Changes.Select(c => c.Description + (c.NeedsRestart ? " (needs a restart)" : string.Empty))) + " (live)";

    public override ClusterRequirement Requires => ClusterRequirement.None;

    /// <summary>The body of <c>PATCH /config</c>: only the differing keys, nested as Patroni expects.</summary>
    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var change in Changes)
        {
            var keys = LivePatroniConfiguration.Keys(change.Pointer);
            var node = root;
            foreach (var key in keys.Take(keys.Count - 1))
            {
                if (node[key] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[key] = child;
                }

                node = child;
            }

            node[keys[^1]] = change.To.Kind switch
            {
                ConfigValueKind.Boolean => JsonValue.Create(change.To.Text == "true"),
                ConfigValueKind.Number => JsonNode.Parse(change.To.Text),
                _ => JsonValue.Create(change.To.Text),
            };
        }

        return root.ToJsonString();
    }

    public bool Equals(PatchPatroniConfiguration? other) =>
        other is not null && Changes.SequenceEqual(other.Changes);

    public override int GetHashCode() => Changes.Aggregate(17, (h, c) => HashCode.Combine(h, c));
}
