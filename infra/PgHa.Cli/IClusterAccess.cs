using PgHa.Core.Verification;

namespace PgHa.Cli;

/// <summary>A pod of the cluster as the Kubernetes API lists it.</summary>
public sealed record MemberPod(string Name, string? RoleLabel, bool Ready);

/// <summary>
/// Everything the command needs from Kubernetes: the seam its tests replace (with a loopback cluster behind it).
/// Endpoints it hands out stay open until it is disposed.
/// </summary>
public interface IClusterAccess : IAsyncDisposable
{
    Task<IReadOnlyList<MemberPod>> ListMembersAsync(CancellationToken cancellationToken);

    Task<ServiceEndpoints> GetServiceEndpointsAsync(CancellationToken cancellationToken);

    /// <summary>The superuser's credentials, from the cluster's Secret (never printed).</summary>
    Task<VerifierCredentials> GetSuperuserAsync(CancellationToken cancellationToken);

    /// <summary>Where this machine reaches the pod's PostgreSQL (a port-forward).</summary>
    Task<MemberEndpoint> PostgresEndpointAsync(string pod, CancellationToken cancellationToken);

    /// <summary>Where this machine reaches the pod's Patroni REST API (a port-forward).</summary>
    Task<Uri> PatroniApiAsync(string pod, CancellationToken cancellationToken);
}

/// <summary>Opens an <see cref="IClusterAccess"/> for a target, connecting with the user's kubeconfig.</summary>
public delegate IClusterAccess ClusterAccessFactory(ClusterTarget target, KubeconfigFiles kubeconfig);
