using k8s;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// The day-2 executor's seam (<see cref="IDayTwoCluster"/>) on a Kubernetes cluster, with what it holds open: the
/// Kubernetes client, the port-forwards to the members and the HTTP client for Patroni's REST API. Dispose it when done.
/// </summary>
public sealed class DayTwoConnection : IAsyncDisposable
{
    /// <summary>How long one Patroni REST call may take: POST /switchover and /restart answer once done.</summary>
    private static readonly TimeSpan PatroniCallTimeout = TimeSpan.FromMinutes(2);

    private readonly List<HttpClient> _http;
    private readonly KubernetesClusterAccess _access;

    private DayTwoConnection(List<HttpClient> http, KubernetesClusterAccess access, IDayTwoCluster cluster)
    {
        _http = http;
        _access = access;
        Cluster = cluster;
    }

    public IDayTwoCluster Cluster { get; }

    /// <summary>Connects to <paramref name="target"/>'s cluster.</summary>
    /// <param name="maxLagBytes">The lag a replica may have and still count as caught up (pgha:readinessMaxLag).</param>
    /// <param name="kubernetes">How to reach the Kubernetes API; null: the user's kubeconfig (every file of KUBECONFIG, else ~/.kube/config) with the target's context.</param>
    public static DayTwoConnection Open(DayTwoTarget target, long maxLagBytes, KubernetesClientConfiguration? kubernetes = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var client = new k8s.Kubernetes(kubernetes ?? KubeconfigFiles.FromEnvironment().ClientConfiguration(target.KubeContext, "pgha:kubeContext"));
        // Disposing the access disposes the client.
        var access = new KubernetesClusterAccess(client, target.ToClusterTarget(maxLagBytes));
        // HTTPS with the operator's client certificate and the cluster's CA, read from the cluster's Secret on first use.
        var made = new List<HttpClient>();
        var patroni = PatroniClient.ForCluster(access.GetPatroniApiCredentialsAsync, PatroniCallTimeout, made.Add);
        return new DayTwoConnection(made, access, new KubernetesDayTwoCluster(client, access, patroni, target));
    }

    public async ValueTask DisposeAsync()
    {
        await _access.DisposeAsync().ConfigureAwait(false);
        foreach (var http in _http)
        {
            http.Dispose();
        }
    }
}
