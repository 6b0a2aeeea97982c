namespace PgHa.Core.Verification;

/// <summary>The pods behind the read-write and read-only Services, as the Kubernetes API reports them.</summary>
public sealed record ServiceEndpoints(IReadOnlyList<string> ReadWritePods, IReadOnlyList<string> ReadOnlyPods);

/// <summary>Reads the Services' endpoints (where a Kubernetes API is reachable).</summary>
public interface IServiceEndpointsSource
{
    Task<ServiceEndpoints> GetAsync(CancellationToken cancellationToken);
}
