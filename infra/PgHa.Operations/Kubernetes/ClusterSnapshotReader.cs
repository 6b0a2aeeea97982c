using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;

namespace PgHa.Operations.Kubernetes;

/// <summary>
/// Reads what the preflight judges (<see cref="PreflightReads"/>) through the Kubernetes API: get and list only, nothing
/// is changed. A missing object (404) is recorded as missing; an area the API refuses (401/403) is recorded as unread;
/// anything else stops the read with what was being asked.
/// </summary>
public sealed class ClusterSnapshotReader(IKubernetes client)
{
    private const string HostnameLabel = "kubernetes.io/hostname";
    private const string ZoneLabel = "topology.kubernetes.io/zone";

    /// <summary>What the reader is asking right now, for a timeout's message.</summary>
    public string Asking { get; private set; } = "nothing yet";

    /// <summary>
    /// Reads <paramref name="target"/> with a fresh client; gives up after <paramref name="timeout"/> with a
    /// <see cref="TimeoutException"/> saying what it was waiting for.
    /// </summary>
    public static async Task<ClusterSnapshot> ReadAsync(KubeconfigTarget target, PgHaSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var configuration = target.ClientConfiguration();
        configuration.HttpClientTimeout = timeout;
        using var kubernetes = new k8s.Kubernetes(configuration);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var reader = new ClusterSnapshotReader(kubernetes);
        try
        {
            return await reader.ReadAsync(settings, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"the Kubernetes API of {target} did not answer within {timeout.TotalSeconds:0} s (waiting to {reader.Asking}).", e);
        }
    }

    public async Task<ClusterSnapshot> ReadAsync(PgHaSettings settings, CancellationToken cancellationToken)
    {
        var reads = PreflightReads.For(settings);
        var unread = new List<UnreadArea>();
        var ct = cancellationToken;

        var ns = await GetAsync(ReadArea.Namespace, $"get namespace {reads.Namespace}", unread,
            () => client.CoreV1.ReadNamespaceAsync(reads.Namespace, cancellationToken: ct)).ConfigureAwait(false);

        var storageClasses = await GetAsync(ReadArea.StorageClasses, "list storageclasses", unread,
            () => client.StorageV1.ListStorageClassAsync(cancellationToken: ct)).ConfigureAwait(false);

        V1CSIDriverList? csiDrivers = null;
        if (reads.CsiDrivers)
        {
            csiDrivers = await GetAsync(ReadArea.CsiDrivers, "list csidrivers", unread,
                () => client.StorageV1.ListCSIDriverAsync(cancellationToken: ct)).ConfigureAwait(false);
        }

        var nodes = await GetAsync(ReadArea.Nodes, "list nodes", unread,
            () => client.CoreV1.ListNodeAsync(cancellationToken: ct)).ConfigureAwait(false);

        var crds = new List<string>();
        foreach (var name in reads.CustomResourceDefinitions.Select(c => c.Name))
        {
            if (await GetAsync(ReadArea.CustomResourceDefinitions, $"get customresourcedefinition {name}", unread,
                    () => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: ct)).ConfigureAwait(false) is not null)
            {
                crds.Add(name);
            }
        }

        var configMaps = new List<ObservedObject>();
        foreach (var need in reads.ConfigMaps)
        {
            if (await GetAsync(ReadArea.ConfigMaps, $"get configmap {need.Namespace}/{need.Name}", unread,
                    () => client.CoreV1.ReadNamespacedConfigMapAsync(need.Name, need.Namespace, cancellationToken: ct)).ConfigureAwait(false) is { } found)
            {
                configMaps.Add(Observed(found.Metadata));
            }
        }

        var deployments = new List<ObservedObject>();
        foreach (var need in reads.Deployments)
        {
            if (await GetAsync(ReadArea.Deployments, $"get deployment {need.Namespace}/{need.Name}", unread,
                    () => client.AppsV1.ReadNamespacedDeploymentAsync(need.Name, need.Namespace, cancellationToken: ct)).ConfigureAwait(false) is { } found)
            {
                deployments.Add(Observed(found.Metadata));
            }
        }

        var secrets = new List<ObservedSecret>();
        foreach (var need in reads.Secrets)
        {
            if (await GetAsync(ReadArea.Secrets, $"get secret {need.Namespace}/{need.Name}", unread,
                    () => client.CoreV1.ReadNamespacedSecretAsync(need.Name, need.Namespace, cancellationToken: ct)).ConfigureAwait(false) is { } found)
            {
                secrets.Add(Observed(found, readUsername: need.RequiredUsername is not null));
            }
        }

        var statefulSet = await GetAsync(ReadArea.StatefulSet, $"get statefulset {reads.Namespace}/{reads.StatefulSet}", unread,
            () => client.AppsV1.ReadNamespacedStatefulSetAsync(reads.StatefulSet, reads.Namespace, cancellationToken: ct)).ConfigureAwait(false);
        var claims = await GetAsync(ReadArea.PersistentVolumeClaims, $"list persistentvolumeclaims in {reads.Namespace}", unread,
            () => client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(reads.Namespace, cancellationToken: ct)).ConfigureAwait(false);

        return new ClusterSnapshot
        {
            Namespace = ns is null ? null : Observed(ns.Metadata),
            StorageClasses = (storageClasses?.Items ?? []).Select(c => new ObservedStorageClass(
                c.Metadata.Name, c.Provisioner, c.AllowVolumeExpansion, LabelsOf(c.Metadata))).ToArray(),
            CsiDrivers = (csiDrivers?.Items ?? []).Select(d => d.Metadata.Name).ToArray(),
            Nodes = (nodes?.Items ?? []).Select(Observed).ToArray(),
            NodeAutoscaler = await NodeAutoscalerAsync(ct).ConfigureAwait(false),
            CustomResourceDefinitions = crds,
            ConfigMaps = configMaps,
            Deployments = deployments,
            Secrets = secrets,
            StatefulSet = statefulSet is null ? null : Observed(statefulSet.Metadata),
            Claims = (claims?.Items ?? []).Where(c => IsDataClaim(c.Metadata.Name, reads.ClaimPrefix))
                .Select(c => new ObservedClaim(c.Metadata.Name, c.Spec?.StorageClassName)).ToArray(),
            Unread = unread,
        };
    }

    /// <summary>Karpenter's NodePool CRD, or cluster-autoscaler's status ConfigMap; one that cannot be seen counts as absent.</summary>
    private async Task<string?> NodeAutoscalerAsync(CancellationToken ct)
    {
        var ignored = new List<UnreadArea>();
        if (await GetAsync(ReadArea.CustomResourceDefinitions, $"get customresourcedefinition {PreflightReads.KarpenterNodePoolCrd}", ignored,
                () => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(PreflightReads.KarpenterNodePoolCrd, cancellationToken: ct)).ConfigureAwait(false) is not null)
        {
            return $"Karpenter ({PreflightReads.KarpenterNodePoolCrd})";
        }

        if (await GetAsync(ReadArea.ConfigMaps, $"get configmap {PreflightReads.ClusterAutoscalerNamespace}/{PreflightReads.ClusterAutoscalerStatus}", ignored,
                () => client.CoreV1.ReadNamespacedConfigMapAsync(PreflightReads.ClusterAutoscalerStatus, PreflightReads.ClusterAutoscalerNamespace, cancellationToken: ct))
                .ConfigureAwait(false) is not null)
        {
            return $"cluster-autoscaler ({PreflightReads.ClusterAutoscalerNamespace}/{PreflightReads.ClusterAutoscalerStatus})";
        }

        return null;
    }

    /// <summary>The object, or null when it does not exist (404) or the API refused (401/403, recorded in <paramref name="unread"/>).</summary>
    private async Task<T?> GetAsync<T>(ReadArea area, string what, List<UnreadArea> unread, Func<Task<T>> read)
        where T : class
    {
        Asking = what;
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            if (unread.All(u => u.Area != area))
            {
                unread.Add(new UnreadArea(area, what, $"{(int)e.Response.StatusCode} {e.Response.StatusCode}"));
            }

            return null;
        }
        catch (HttpOperationException e)
        {
            throw new InvalidOperationException($"could not {what}: {(int?)e.Response?.StatusCode} {e.Response?.ReasonPhrase ?? e.Message}", e);
        }
    }

    private static bool IsDataClaim(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length..].All(char.IsAsciiDigit);

    private static IReadOnlyDictionary<string, string> LabelsOf(V1ObjectMeta metadata) =>
        metadata.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>();

    private static ObservedObject Observed(V1ObjectMeta metadata) => new(metadata.NamespaceProperty, metadata.Name, LabelsOf(metadata));

    /// <summary>Key names, and the username only when a rule needs it; no other value is read.</summary>
    private static ObservedSecret Observed(V1Secret secret, bool readUsername)
    {
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        var username = readUsername && data.TryGetValue("username", out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return new ObservedSecret(secret.Metadata.NamespaceProperty, secret.Metadata.Name, data.Keys.Order(StringComparer.Ordinal).ToArray(), username);
    }

    private static ObservedNode Observed(V1Node node)
    {
        var labels = LabelsOf(node.Metadata);
        var allocatable = node.Status?.Allocatable;
        decimal? Quantity(string resource) => allocatable is not null && allocatable.TryGetValue(resource, out var q)
            ? KubernetesQuantity.TryParse(q.ToString())
            : null;
        return new ObservedNode(
            node.Metadata.Name,
            labels.TryGetValue(HostnameLabel, out var hostname) ? hostname : node.Metadata.Name,
            labels.TryGetValue(ZoneLabel, out var zone) ? zone : null,
            node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            node.Spec?.Unschedulable == true,
            (node.Spec?.Taints ?? []).Select(t => new ObservedTaint(t.Key, t.Value, t.Effect)).ToArray(),
            Quantity("cpu"),
            Quantity("memory"));
    }
}
