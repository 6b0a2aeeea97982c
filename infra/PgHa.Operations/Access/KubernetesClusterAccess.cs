using System.Text;
using k8s;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Tls;
using PgHa.Core.Verification;
using PgHa.Operations.Kubernetes;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.Access;

/// <summary>The cluster through the Kubernetes API with the user's kubeconfig: pods, Services, Secret, port-forwards.</summary>
public sealed class KubernetesClusterAccess(IKubernetes client, ClusterTarget target) : IClusterAccess
{
    private readonly Dictionary<(string Pod, int Port), PortForwardBridge> _bridges = [];
    private PatroniApiCredentials? _patroniCredentials;
    private bool _patroniCredentialsRead;

    /// <summary>With the user's kubeconfig (the files of KUBECONFIG, merged, else ~/.kube/config) and the target's context or the current one.</summary>
    public static IClusterAccess Open(ClusterTarget target, KubeconfigFiles kubeconfig) =>
        new KubernetesClusterAccess(new k8s.Kubernetes(kubeconfig.ClientConfiguration(target.KubeContext)), target);

    public async Task<IReadOnlyList<MemberPod>> ListMembersAsync(CancellationToken cancellationToken)
    {
        var selector = string.Join(",", Labels.Selector(target.Cluster).Select(l => $"{l.Key}={l.Value}"));
        var pods = await client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: selector, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return pods.Items
            .Select(p => new MemberPod(p.Metadata.Name, (p.Metadata.Labels is { } labels && labels.TryGetValue(Labels.RoleKey, out var role) ? role : null),
                p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();
    }

    public Task<ServiceEndpoints> GetServiceEndpointsAsync(CancellationToken cancellationToken) =>
        new KubernetesServiceEndpoints(client, target.Namespace, target.Names.ReadWriteService, target.Names.ReadOnlyService).GetAsync(cancellationToken);

    public async Task<VerifierCredentials> GetSuperuserAsync(CancellationToken cancellationToken)
    {
        var (username, password) = await CredentialsSecret.ReadAsync(client, target.Namespace, target.SuperuserSecret, cancellationToken).ConfigureAwait(false);
        return new VerifierCredentials(username, password, await ServerCaAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<VerifierCredentials> GetMonitoringAsync(CancellationToken cancellationToken)
    {
        var (username, password) = await CredentialsSecret.ReadAsync(client, target.Namespace, target.Names.MonitoringSecret, cancellationToken)
            .ConfigureAwait(false);
        return new VerifierCredentials(username, password, await ServerCaAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The CA in the cluster's certificate Secret (ca.crt, written by the stack or cert-manager), so pgha verifies each member's
    /// certificate; null when there is no such Secret (a cluster deployed before it existed): TLS, not verified.
    /// </summary>
    private async Task<string?> ServerCaAsync(CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(target.Names.TlsSecret, target.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return secret.Data is not null && secret.Data.TryGetValue(ClusterTls.CaKey, out var ca) ? Encoding.UTF8.GetString(ca) : null;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Through a port-forward (127.0.0.1), checked against the member's pod DNS name on its certificate.</summary>
    public Task<MemberEndpoint> PostgresEndpointAsync(string pod, CancellationToken cancellationToken) =>
        Task.FromResult(new MemberEndpoint(pod, "127.0.0.1", Bridge(pod, PatroniConfig.PostgresPort).LocalPort,
            ClusterTlsNames.Member(pod, target.Names.HeadlessService, target.Namespace)));

    public async Task<PatroniApiCredentials?> GetPatroniApiCredentialsAsync(CancellationToken cancellationToken)
    {
        if (_patroniCredentialsRead)
        {
            return _patroniCredentials;
        }

        var name = target.Names.OperatorTlsSecret;
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            string Key(string key) => secret.Data is not null && secret.Data.TryGetValue(key, out var value) && value.Length > 0
                ? Encoding.UTF8.GetString(value)
                : throw new InvalidOperationException($"Secret {target.Namespace}/{name} has no key \"{key}\" (the operator's client certificate for Patroni's REST API).");
            _patroniCredentials = new PatroniApiCredentials(Key(ClusterTls.CaKey), Key(ClusterTls.CertificateKey), Key(ClusterTls.PrivateKeyKey));
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A cluster deployed before its REST API had certificates: plain HTTP, as it serves.
            _patroniCredentials = null;
        }

        _patroniCredentialsRead = true;
        return _patroniCredentials;
    }

    /// <summary>
    /// Through a port-forward (127.0.0.1), in the scheme the member published (the api_url in the <c>status</c> annotation
    /// Patroni keeps on its pod): while a rollout moves the pods to HTTPS, a pod still on the old template serves HTTP.
    /// Without the annotation, HTTPS when the cluster has the operator's certificate.
    /// </summary>
    public async Task<Uri> PatroniApiAsync(string pod, CancellationToken cancellationToken)
    {
        var scheme = await PublishedSchemeAsync(pod, cancellationToken).ConfigureAwait(false)
            ?? (await GetPatroniApiCredentialsAsync(cancellationToken).ConfigureAwait(false) is null ? "http" : "https");
        return new Uri($"{scheme}://127.0.0.1:{Bridge(pod, PatroniConfig.RestApiPort).LocalPort}");
    }

    private async Task<string?> PublishedSchemeAsync(string pod, CancellationToken cancellationToken)
    {
        var read = await client.CoreV1.ReadNamespacedPodAsync(pod, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return PatroniApiScheme.FromStatusAnnotation(read.Metadata?.Annotations is { } annotations && annotations.TryGetValue(PatroniApiScheme.StatusAnnotation, out var status)
            ? status : null);
    }

    private PortForwardBridge Bridge(string pod, int port)
    {
        if (!_bridges.TryGetValue((pod, port), out var bridge))
        {
            bridge = PortForwardBridge.ToPod(client, target.Namespace, pod, port);
            _bridges[(pod, port)] = bridge;
        }

        return bridge;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bridge in _bridges.Values)
        {
            await bridge.DisposeAsync().ConfigureAwait(false);
        }

        _bridges.Clear();
        client.Dispose();
    }
}
