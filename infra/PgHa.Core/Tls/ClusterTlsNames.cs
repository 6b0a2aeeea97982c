using PgHa.Core.Naming;

namespace PgHa.Core.Tls;

/// <summary>
/// The DNS names the cluster's server certificate covers, so a client with <c>sslmode=verify-full</c> can reach it by any
/// name Kubernetes gives it: the read-write, read-only and headless Services, and each member through the headless
/// Service, each short (<c>db</c>), namespaced (<c>db.team</c>) and fully qualified (<c>db.team.svc</c>,
/// <c>db.team.svc.cluster.local</c>).
/// </summary>
public static class ClusterTlsNames
{
    /// <summary>The cluster DNS domain Kubernetes uses unless the cluster is built with another.</summary>
    public const string ClusterDomain = "cluster.local";

    /// <summary>Every name, in a fixed order (Services, then members by ordinal), without duplicates.</summary>
    public static IReadOnlyList<string> For(string clusterName, string ns, int replicas)
    {
        var names = new ResourceNames(clusterName);
        var hosts = new List<string>();
        foreach (var service in new[] { names.ReadWriteService, names.ReadOnlyService, names.HeadlessService })
        {
            hosts.AddRange(Qualified(service, ns));
        }

        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            // <pod>.<headless>: the member's own name, which resolves through the headless Service.
            hosts.AddRange(Qualified($"{ResourceNames.Pod(names.StatefulSet, ordinal)}.{names.HeadlessService}", ns));
        }

        return hosts.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A member's fully qualified DNS name: what the replication check and pgha verify the member's certificate against.</summary>
    public static string Member(string pod, string headlessService, string ns) => $"{pod}.{headlessService}.{ns}.svc.{ClusterDomain}";

    private static IEnumerable<string> Qualified(string host, string ns) =>
        [host, $"{host}.{ns}", $"{host}.{ns}.svc", $"{host}.{ns}.svc.{ClusterDomain}"];
}
