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
}
