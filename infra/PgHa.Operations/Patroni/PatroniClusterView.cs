using System.Text.Json;

namespace PgHa.Operations.Patroni;

/// <summary>
/// Patroni's <c>GET /cluster</c>: every member as the store (DCS) knows it, and whether the cluster is paused. The one
/// model of that answer, for the pgha command, the tests' loopback harness and the day-2 work.
/// </summary>
public sealed record PatroniClusterView(IReadOnlyList<PatroniMemberView> Members, bool Paused = false)
{
    public IReadOnlyList<PatroniMemberView> Leaders => Members.Where(m => m.IsLeader).ToArray();

    /// <summary>Reads the JSON Patroni answers; a <see cref="JsonException"/> when it is not that answer.</summary>
    public static PatroniClusterView Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("Patroni's /cluster answer has no \"members\" list.");
        }

        return new PatroniClusterView(
            members.EnumerateArray().Select(Member).ToArray(),
            root.TryGetProperty("pause", out var pause) && pause.ValueKind == JsonValueKind.True);
    }

    private static PatroniMemberView Member(JsonElement member) => new(
        Text(member, "name") ?? throw new JsonException("A member in Patroni's /cluster answer has no name."),
        Text(member, "role") ?? throw new JsonException($"Member {Text(member, "name")} in Patroni's /cluster answer has no role."),
        Text(member, "state") ?? "unknown",
        member.TryGetProperty("timeline", out var timeline) && timeline.ValueKind == JsonValueKind.Number ? timeline.GetInt32() : null,
        // "lag" is a number of bytes, or "unknown" while a replica has not published its position.
        member.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number ? lag.GetInt64() : null,
        Text(member, "host"),
        member.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Number ? port.GetInt32() : null,
        Text(member, "api_url") is { } api && Uri.TryCreate(api, UriKind.Absolute, out var uri) ? uri : null,
        member.TryGetProperty("pending_restart", out var pending) && pending.ValueKind == JsonValueKind.True);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public override string ToString() =>
        string.Join(", ", Members.Select(m => $"{m.Name}={m.Role}/{m.State}/tl{m.Timeline}/lag{m.LagBytes}"));
}
