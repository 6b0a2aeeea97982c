using PgHa.Core.Settings;

namespace PgHa.Core.Patroni;

/// <summary>How long failover may take, derived from the Patroni timings alone.</summary>
public static class FailoverBudget
{
    /// <summary>
    /// Worst case from a leader crash to a writable new leader: the lock outlives the last renewal by at most
    /// ttl; a replica acts on its next wake-up (at most loop_wait later); and Patroni bounds each store and
    /// PostgreSQL operation of the promotion by retry_timeout.
    /// </summary>
    public static TimeSpan MaxCrashFailover(PatroniSettings patroni) =>
        TimeSpan.FromSeconds(patroni.Ttl + patroni.LoopWait + patroni.RetryTimeout);

    /// <summary>
    /// Worst case for a planned switchover: the leader demotes at once and the candidate promotes within one loop,
    /// each step bounded by retry_timeout.
    /// </summary>
    public static TimeSpan MaxSwitchover(PatroniSettings patroni) =>
        TimeSpan.FromSeconds(patroni.LoopWait + (2 * patroni.RetryTimeout));
}
