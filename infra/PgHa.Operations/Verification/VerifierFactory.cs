using PgHa.Core.Verification;
using PgHa.Operations.Postgres;

namespace PgHa.Operations.Verification;

/// <summary>
/// The one way to build the replication verifier (Core's <see cref="ReplicationVerifier"/> asking real members over
/// TLS with Npgsql), for the provider's post-deploy check, the pgha command's status and verify, and the tests.
/// </summary>
public static class VerifierFactory
{
    /// <summary>How long the probe waits for a member's connection before it counts the member unreachable.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Asks one member at a time (what a single read of the cluster's status needs).</summary>
    public static IMemberProbe Probe(VerifierCredentials credentials, TimeSpan? connectTimeout = null) =>
        new NpgsqlMemberProbe(credentials, connectTimeout ?? DefaultConnectTimeout);

    /// <param name="endpoints">Where the Services' endpoints come from; null where no Kubernetes API is reachable (not checked then).</param>
    public static ReplicationVerifier Create(VerifierCredentials credentials, IServiceEndpointsSource? endpoints = null,
        TimeSpan? connectTimeout = null, TimeProvider? time = null) =>
        new(Probe(credentials, connectTimeout), endpoints, time);
}
