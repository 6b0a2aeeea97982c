using PgHa.Core.Naming;

namespace PgHa.Operations.Access;

/// <summary>
/// Which running cluster an operation works on and what healthy means for it (in the pgha command: from a stack's
/// settings, <c>--stack</c>, or given directly, <c>--namespace</c> and <c>--cluster</c>).
/// </summary>
/// <param name="ExpectedMembers">Members the cluster should have; null: as many as there are pods.</param>
public sealed record ClusterTarget(
    string Namespace,
    string Cluster,
    string? KubeContext,
    string SuperuserSecret,
    int? ExpectedMembers,
    long MaxLagBytes,
    bool ExpectArchiving)
{
    public ResourceNames Names => new(Cluster);

    public override string ToString() => $"{Namespace}/{Cluster}";
}
