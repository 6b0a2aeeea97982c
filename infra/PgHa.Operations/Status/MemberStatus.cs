namespace PgHa.Operations.Status;

/// <summary>One member's line of the cluster's status: PostgreSQL's, Patroni's and the Services' view of one pod.</summary>
/// <param name="Role">Patroni's role (leader, replica, sync_standby), or from PostgreSQL when Patroni did not answer.</param>
/// <param name="Services">Which Services send clients to this pod: rw, ro, or none.</param>
public sealed record MemberStatus(
    string Name,
    string Role,
    string State,
    int? Timeline,
    long? LagBytes,
    double? LagSeconds,
    string? Slot,
    bool? SlotActive,
    IReadOnlyList<string> Services,
    string? Error);
