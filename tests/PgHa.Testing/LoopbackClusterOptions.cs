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
    /// Each member on its own loopback address (pg-0 on 127.0.0.10, pg-1 on 127.0.0.11, ...) for PostgreSQL and the REST
    /// API, as pods have their own IPs; otherwise every member listens on 127.0.0.1. Clients (the tests, the members
    /// calling each other) still connect from 127.0.0.1 unless they bind another source address.
    /// </summary>
    public bool OwnAddresses { get; init; }

    /// <summary>Member <paramref name="index"/>'s own address when <see cref="OwnAddresses"/> is on.</summary>
    public static string OwnAddress(int index) => $"127.0.0.{10 + index}";
}
