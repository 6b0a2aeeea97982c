namespace PgHa.Testing;

/// <summary>What a test may change about how a loopback cluster starts (the defaults are what every test runs).</summary>
public sealed record LoopbackClusterOptions
{
    /// <summary>The PostgreSQL server binaries the members run (default: <see cref="PatroniCluster.FindBinDirectory"/>).</summary>
    public string? BinDirectory { get; init; }
}
