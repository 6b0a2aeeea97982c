using PgHa.Core.Verification;

namespace PgHa.Cli;

/// <summary>One member's line of <c>pgha status</c>.</summary>
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

/// <summary>The whole cluster at one moment, and every check that failed (empty when healthy).</summary>
public sealed record ClusterStatus(
    string Namespace,
    string Cluster,
    string? Primary,
    IReadOnlyList<MemberStatus> Members,
    ServiceEndpoints? Services,
    string? Archiving,
    IReadOnlyList<CheckResult> Problems,
    DateTimeOffset CheckedAt)
{
    public bool Healthy => Problems.Count == 0;
}
