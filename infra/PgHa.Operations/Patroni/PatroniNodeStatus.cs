using System.Text.Json;

namespace PgHa.Operations.Patroni;

/// <summary>Patroni's <c>GET /patroni</c>: one member's own view of itself and its PostgreSQL.</summary>
/// <param name="State">running, starting, stopped, ... ("unknown" when Patroni could not ask PostgreSQL).</param>
/// <param name="Role">PostgreSQL's role as Patroni sees it: master or primary (by version), replica, standby_leader.</param>
/// <param name="ServerVersion">PostgreSQL's version number, e.g. 150004.</param>
/// <param name="PendingRestart">A changed parameter takes effect only after a restart.</param>
public sealed record PatroniNodeStatus(
    string State,
    string Role,
    int? Timeline,
    int? ServerVersion,
    bool PendingRestart,
    string? PatroniVersion,
    string? Scope)
{
    public bool IsPrimary => Role is "master" or "primary";

    public bool IsRunning => State == "running";

    /// <summary>Reads the JSON Patroni answers; a <see cref="JsonException"/> when it is not that answer.</summary>
    public static PatroniNodeStatus Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "state") is not { } state || Text(root, "role") is not { } role)
        {
            throw new JsonException("Patroni's /patroni answer has no state and role.");
        }

        var patroni = root.TryGetProperty("patroni", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        return new PatroniNodeStatus(
            state,
            role,
            Number(root, "timeline"),
            Number(root, "server_version"),
            root.TryGetProperty("pending_restart", out var pending) && pending.ValueKind == JsonValueKind.True,
            patroni.ValueKind == JsonValueKind.Object ? Text(patroni, "version") : null,
            patroni.ValueKind == JsonValueKind.Object ? Text(patroni, "scope") : null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
