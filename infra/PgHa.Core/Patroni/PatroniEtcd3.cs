namespace PgHa.Core.Patroni;

/// <summary><c>etcd3</c>: etcd as the store (the real-process tests; the pods use the Kubernetes API through Spilo).</summary>
public sealed record PatroniEtcd3(IReadOnlyList<string> Hosts);
