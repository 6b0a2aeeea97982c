namespace PgHa.Testing;

/// <summary>What a test may change about how a loopback cluster starts (the defaults are what every test runs).</summary>
public sealed record LoopbackClusterOptions
{
    /// <summary>The PostgreSQL server binaries the members run (default: <see cref="PatroniCluster.FindBinDirectory"/>).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// The replication role's name as Spilo would take it from the Secret (PGUSER_STANDBY), e.g. an existing Secret's
    /// (default: the settings' replication user). pg_hba must admit it whatever it is.
    /// </summary>
    public string? ReplicationUsername { get; init; }

    /// <summary>
    /// Gives the cluster a loopback block of its own (<see cref="LoopbackAddressBlock"/>): etcd and each member listen
    /// on their own 127.X.Y.Z, and each member's processes (Patroni, PostgreSQL and what they run) connect from it
    /// (<see cref="SourceAddressBinding"/>), so links between them can be cut (<see cref="LinkCutter"/>).
    /// </summary>
    public bool OwnAddresses { get; init; }

    /// <summary>
    /// Patroni's REST API as in the pods: HTTPS with client certificates for unsafe calls (the shared configuration's
    /// <c>restapi.verify_client: optional</c> and <c>ctl.insecure</c>), a cluster CA and certificates made by the stack's own
    /// issuer (<see cref="PgHa.Core.Tls.ClusterCertificateIssuer"/>), the member's certificate (also PostgreSQL's) as its
    /// client certificate, and the operator's client certificate for the harness's own calls
    /// (<see cref="PatroniCluster.RestApiCredentials"/>). Off by default: plain HTTP, as every other test runs.
    /// </summary>
    public bool RestApiTls { get; init; }

    /// <summary>Runs for each member after its directory and configuration are written, before it first starts (e.g. to mount a small filesystem on its data directory).</summary>
    public Func<PatroniMember, Task>? BeforeFirstStart { get; init; }
}
