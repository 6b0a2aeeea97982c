using PgHa.Core.Verification;

namespace PgHa.Operations.Status;

/// <summary>
/// The whole cluster at one moment (what <c>pgha status</c> shows), and every check that failed (empty when healthy).
/// Patroni's own view of its members is <see cref="Patroni.PatroniClusterView"/>, one of the sources of this.
/// </summary>
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
