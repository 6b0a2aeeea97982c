namespace PgHa.Core.Patroni;

/// <summary>
/// <c>restapi</c>. Shared by every member: who may call the unsafe endpoints (<see cref="Allowlist"/>,
/// <see cref="AllowlistIncludeMembers"/>). Local to a member, which only a test machine sets (in the pods Spilo
/// writes them, and keeps the shared keys beside its own): where the API listens and how the others reach it.
/// </summary>
public sealed record PatroniRestApi
{
    public string? Listen { get; init; }

    public string? ConnectAddress { get; init; }

    /// <summary>
    /// Networks whose clients may call the unsafe endpoints (POST /switchover, /failover, /restart, /reinitialize,
    /// /reload, PATCH and PUT /config, DELETE); every other client gets 403. GET endpoints (probes, /metrics,
    /// /patroni, /cluster) answer anyone.
    /// </summary>
    public IReadOnlyList<string>? Allowlist { get; init; }

    /// <summary>The members' own addresses (resolved from each member's <c>api_url</c> in the store) are allowed too.</summary>
    public bool? AllowlistIncludeMembers { get; init; }
}
