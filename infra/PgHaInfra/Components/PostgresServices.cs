using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

public sealed record PostgresServicesArgs(ClusterIdentity Cluster);

/// <summary>
/// Read-write (<c>&lt;name&gt;</c>, selects the pod Patroni labels primary, so it follows every failover),
/// read-only (<c>&lt;name&gt;-ro</c>, replicas only) and headless (stable per-pod DNS for the StatefulSet).
/// </summary>
public sealed class PostgresServices : ComponentResource
{
    /// <summary>
    /// Pulumi would wait for a role-selected Service to get endpoints; those appear only once Patroni has elected
    /// and labelled a leader, which on a first `pulumi up` runs in parallel with it and on a one-replica-left
    /// cluster may never come. The post-deploy check proves the endpoints instead.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> SkipAwait =
        new Dictionary<string, string> { ["pulumi.com/skipAwait"] = "true" };

    [Output("readWriteServiceName")]
    public Output<string> ReadWriteServiceName { get; }

    [Output("readOnlyServiceName")]
    public Output<string> ReadOnlyServiceName { get; }

    [Output("headlessServiceName")]
    public Output<string> HeadlessServiceName { get; }

    public PostgresServices(string name, PostgresServicesArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresServices", name, options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        var readWrite = RoleService($"{name}-rw", cluster, names.ReadWriteService, Labels.PrimaryRole, options);
        var readOnly = RoleService($"{name}-ro", cluster, names.ReadOnlyService, Labels.ReplicaRole, options);

        var headless = new Service($"{name}-headless", new ServiceArgs
        {
            Metadata = Metadata.For(names.HeadlessService, cluster.Namespace, cluster.Name, "database"),
            Spec = new ServiceSpecArgs
            {
                ClusterIP = "None",
                // Members must resolve each other while still bootstrapping, before they are ready.
                PublishNotReadyAddresses = true,
                Selector = Metadata.ToInputMap(Labels.Selector(cluster.Name)),
                Ports = { Port(PatroniConfig.PostgresPortName, PatroniConfig.PostgresPort), Port(PatroniConfig.RestApiPortName, PatroniConfig.RestApiPort) },
            },
        }, ChildOptions.Of(this, options));

        ReadWriteServiceName = readWrite.Metadata.Apply(m => m.Name);
        ReadOnlyServiceName = readOnly.Metadata.Apply(m => m.Name);
        HeadlessServiceName = headless.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["readWriteServiceName"] = ReadWriteServiceName,
            ["readOnlyServiceName"] = ReadOnlyServiceName,
            ["headlessServiceName"] = HeadlessServiceName,
        });
    }

    private Service RoleService(string resourceName, ClusterIdentity cluster, string serviceName, string role, ComponentResourceOptions? options) =>
        new(resourceName, new ServiceArgs
        {
            Metadata = Metadata.For(serviceName, cluster.Namespace, cluster.Name, "database", SkipAwait),
            Spec = new ServiceSpecArgs
            {
                Type = "ClusterIP",
                Selector = Metadata.ToInputMap(Labels.WithRole(cluster.Name, role)),
                Ports = { Port(PatroniConfig.PostgresPortName, PatroniConfig.PostgresPort) },
            },
        }, ChildOptions.Of(this, options));

    private static ServicePortArgs Port(string name, int port) => new()
    {
        Name = name,
        Port = port,
        TargetPort = port,
        Protocol = "TCP",
    };
}
