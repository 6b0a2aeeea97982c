namespace PgHa.Core.Patroni;

/// <summary>
/// Patroni's dynamic configuration (<c>bootstrap.dcs</c>, kept in the store; what <c>patronictl show-config</c> prints):
/// timings, failover limits, synchronous replication, failsafe mode and the PostgreSQL settings every member shares.
/// </summary>
public sealed record PatroniDynamicConfiguration(
    int Ttl,
    int LoopWait,
    int RetryTimeout,
    long MaximumLagOnFailover,
    bool SynchronousMode,
    bool SynchronousModeStrict,
    bool FailsafeMode,
    PatroniDynamicPostgresql Postgresql);
