using PgHa.Core.Monitoring;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Networking.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace PgHa.Infra.Components;

/// <param name="Policies">Which app pods may connect, and where Prometheus runs.</param>
/// <param name="Monitoring">Whether Prometheus scrapes the members (Patroni's /metrics and the exporter).</param>
/// <param name="Backup">With backups, the members reach the object store.</param>
/// <param name="Migration">With a migration, its Job reaches the old PostgreSQL.</param>
public sealed record DatabaseNetworkPoliciesArgs(ClusterIdentity Cluster, NetworkPolicySettings Policies, bool Monitoring,
    BackupSettings? Backup, MigrationSettings? Migration);

/// <summary>
/// NetworkPolicies that admit only the cluster's own traffic. The members (<c>&lt;name&gt;-members</c>): PostgreSQL
/// from the members, the stack's Jobs and the app's pods; Patroni's API from the members and, with monitoring,
/// Prometheus (with the exporter); out to each other, DNS, the Kubernetes API and, with backups, the object store.
/// The Jobs' pods (<c>&lt;name&gt;-tasks</c>): out to the members' PostgreSQL and DNS (the migration also to the old
/// PostgreSQL); nothing in.
/// </summary>
public sealed class DatabaseNetworkPolicies : ComponentResource
{
    /// <summary>The label every namespace carries with its own name (Kubernetes sets it).</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The cluster DNS pods (CoreDNS on EKS keeps kube-dns's label).</summary>
    public const string DnsNamespace = "kube-system";
    public static readonly IReadOnlyDictionary<string, string> DnsPodLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" };

    /// <summary>
    /// The Kubernetes API's ports (443 for the <c>kubernetes</c> Service, 6443 where the endpoints listen). The API
    /// server is no pod (on EKS it sits behind the control plane's network interfaces), so no label selects it; and
    /// its endpoint IPs change with the control plane: it is admitted by port to any address.
    /// </summary>
    public static readonly int[] KubernetesApiPorts = [443, 6443];

    public const int DnsPort = 53;

    [Output("memberPolicyName")]
    public Output<string> MemberPolicyName { get; }

    [Output("taskPolicyName")]
    public Output<string> TaskPolicyName { get; }

    public DatabaseNetworkPolicies(string name, DatabaseNetworkPoliciesArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:DatabaseNetworkPolicies", name, options)
    {
        var cluster = args.Cluster;
        var child = ChildOptions.Of(this, options);
        var tasks = new List<string> { Labels.BootstrapTask };
        if (args.Migration is not null)
        {
            tasks.Add(Labels.MigrationTask);
        }

        var postgresFrom = new List<NetworkPolicyPeerArgs> { Members(cluster.Name) };
        postgresFrom.AddRange(tasks.Select(t => Pods(Labels.TaskPodSelector(cluster.Name, t))));
        postgresFrom.Add(App(args.Policies));

        var ingress = new List<NetworkPolicyIngressRuleArgs>
        {
            new() { From = postgresFrom, Ports = { Tcp(PatroniConfig.PostgresPort) } },
            new() { From = { Members(cluster.Name) }, Ports = { Tcp(PatroniConfig.RestApiPort) } },
        };
        if (args.Monitoring)
        {
            ingress.Add(new() { From = { InNamespace(args.Policies.MonitoringNamespace) }, Ports = { Tcp(PatroniConfig.RestApiPort), Tcp(ExporterSidecar.Port) } });
        }

        var egress = new List<NetworkPolicyEgressRuleArgs>
        {
            // Replication, pg_rewind, and Patroni asking the others (and, in failsafe mode, the leader posting /failsafe).
            new() { To = { Members(cluster.Name) }, Ports = { Tcp(PatroniConfig.PostgresPort), Tcp(PatroniConfig.RestApiPort) } },
            Dns(),
            // Patroni's store (leader lock, configuration, role labels).
            new() { To = { Anywhere() }, Ports = KubernetesApiPorts.Select(Tcp).ToList() },
        };
        if (args.Backup is { } backup && ObjectStorePort(backup.Storage) is var storePort && !KubernetesApiPorts.Contains(storePort))
        {
            // An S3-compatible store on another port (AWS S3 and STS are 443, admitted above).
            egress.Add(new() { To = { Anywhere(), AnyPod() }, Ports = { Tcp(storePort) } });
        }

        var members = new NetworkPolicy($"{name}-members", new NetworkPolicyArgs
        {
            Metadata = Metadata.For($"{cluster.Name}-members", cluster.Namespace, cluster.Name, "network-policy"),
            Spec = new NetworkPolicySpecArgs
            {
                PodSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(Labels.Selector(cluster.Name)) },
                PolicyTypes = { "Ingress", "Egress" },
                Ingress = ingress,
                Egress = egress,
            },
        }, child);

        var taskEgress = new List<NetworkPolicyEgressRuleArgs>
        {
            new() { To = { Members(cluster.Name) }, Ports = { Tcp(PatroniConfig.PostgresPort) } },
            Dns(),
        };
        var taskPolicies = new List<NetworkPolicy>();
        foreach (var task in tasks)
        {
            var egressOfTask = new List<NetworkPolicyEgressRuleArgs>(taskEgress);
            if (task == Labels.MigrationTask && args.Migration is { } migration)
            {
                // The old PostgreSQL: a Service somewhere in the cluster (any pod) or a host outside it.
                egressOfTask.Add(new() { To = { Anywhere(), AnyPod() }, Ports = { Tcp(migration.Port) } });
            }

            taskPolicies.Add(new NetworkPolicy($"{name}-{task}", new NetworkPolicyArgs
            {
                Metadata = Metadata.For($"{cluster.Name}-{task}", cluster.Namespace, cluster.Name, "network-policy"),
                Spec = new NetworkPolicySpecArgs
                {
                    PodSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(Labels.TaskPodSelector(cluster.Name, task)) },
                    // Nothing connects to a Job's pod.
                    PolicyTypes = { "Ingress", "Egress" },
                    Egress = egressOfTask,
                },
            }, child));
        }

        MemberPolicyName = members.Metadata.Apply(m => m.Name);
        TaskPolicyName = taskPolicies[0].Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["memberPolicyName"] = MemberPolicyName, ["taskPolicyName"] = TaskPolicyName });
    }

    /// <summary>The object store's port: 443 for AWS S3, else the endpoint's (http 80, https 443 unless given).</summary>
    public static int ObjectStorePort(BackupStorage storage) =>
        storage.Endpoint is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Port : 443;

    private static NetworkPolicyPortArgs Tcp(int port) => new() { Protocol = "TCP", Port = port };

    private static NetworkPolicyEgressRuleArgs Dns() => new()
    {
        To =
        {
            new NetworkPolicyPeerArgs
            {
                NamespaceSelector = new LabelSelectorArgs { MatchLabels = { [NamespaceNameLabel] = DnsNamespace } },
                PodSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(DnsPodLabels) },
            },
        },
        Ports = { new NetworkPolicyPortArgs { Protocol = "UDP", Port = DnsPort }, Tcp(DnsPort) },
    };

    private static NetworkPolicyPeerArgs Members(string cluster) => Pods(Labels.Selector(cluster));

    /// <summary>Pods of the policy's own namespace with these labels.</summary>
    private static NetworkPolicyPeerArgs Pods(IReadOnlyDictionary<string, string> labels) =>
        new() { PodSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(labels) } };

    /// <summary>Every pod of a namespace.</summary>
    private static NetworkPolicyPeerArgs InNamespace(string ns) =>
        new() { NamespaceSelector = new LabelSelectorArgs { MatchLabels = { [NamespaceNameLabel] = ns } } };

    /// <summary>The app's pods: in their namespace, with their labels (every pod there when none are configured).</summary>
    private static NetworkPolicyPeerArgs App(NetworkPolicySettings policies)
    {
        var peer = InNamespace(policies.AppNamespace);
        if (policies.AppPodLabels.Count > 0)
        {
            peer.PodSelector = new LabelSelectorArgs { MatchLabels = Metadata.ToInputMap(policies.AppPodLabels) };
        }

        return peer;
    }

    /// <summary>Every pod of every namespace.</summary>
    private static NetworkPolicyPeerArgs AnyPod() => new() { NamespaceSelector = new LabelSelectorArgs() };

    /// <summary>Any address (outside the pod network: the API server, S3).</summary>
    private static NetworkPolicyPeerArgs Anywhere() => new() { IpBlock = new IPBlockArgs { Cidr = "0.0.0.0/0" } };
}
