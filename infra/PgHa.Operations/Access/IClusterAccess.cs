using PgHa.Core.Verification;

namespace PgHa.Operations.Access;

/// <summary>
/// Everything an operation needs from Kubernetes to work on a running cluster: the seam the pgha command's tests
/// replace (with a loopback cluster behind it). Endpoints it hands out stay open until it is disposed.
/// </summary>
public interface IClusterAccess : IAsyncDisposable
{
    Task<IReadOnlyList<MemberPod>> ListMembersAsync(CancellationToken cancellationToken);

    Task<ServiceEndpoints> GetServiceEndpointsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The superuser's credentials, from the cluster's Secret (never printed): only for what nothing else can do (the
    /// day-2 steps' ALTER ROLE and slot drops, the write probe of a switchover or failover).
    /// </summary>
    Task<VerifierCredentials> GetSuperuserAsync(CancellationToken cancellationToken);

    /// <summary>The monitoring role's credentials (pg_monitor), from the cluster's Secret: what reading status and verifying use.</summary>
    Task<VerifierCredentials> GetMonitoringAsync(CancellationToken cancellationToken);

    /// <summary>Where this machine reaches the pod's PostgreSQL (a port-forward).</summary>
    Task<MemberEndpoint> PostgresEndpointAsync(string pod, CancellationToken cancellationToken);

    /// <summary>
    /// The cluster's CA and the operator's client certificate for Patroni's REST API (from the Secret
    /// <c>&lt;cluster&gt;-operator-tls</c>, read at run time, never printed); null when the cluster has none (deployed before
    /// its REST API had certificates).
    /// </summary>
    Task<PgHa.Operations.Patroni.PatroniApiCredentials?> GetPatroniApiCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>Where this machine reaches the pod's Patroni REST API (a port-forward), with the scheme the member serves.</summary>
    Task<Uri> PatroniApiAsync(string pod, CancellationToken cancellationToken);
}
