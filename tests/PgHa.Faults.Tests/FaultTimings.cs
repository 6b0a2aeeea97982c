using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Faults.Tests;

/// <summary>
/// The time bounds of the fault scenarios, derived from the Patroni timings (ttl, loop_wait, retry_timeout) plus
/// <see cref="Slack"/> for process scheduling on a loaded 2-core machine.
/// </summary>
public sealed record FaultTimings(int Ttl, int LoopWait, int RetryTimeout)
{
    /// <summary>Scheduling, process start and stop on a busy 2-core machine.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    public static FaultTimings From(PatroniSettings patroni)
    {
        ArgumentNullException.ThrowIfNull(patroni);
        return new FaultTimings(patroni.Ttl, patroni.LoopWait, patroni.RetryTimeout);
    }

    public TimeSpan TtlSpan => TimeSpan.FromSeconds(Ttl);

    /// <summary>
    /// A leader that loses the store stops accepting writes by then: Patroni's own worst case for a leader whose store
    /// calls keep failing is loop_wait + 2*retry_timeout (a loop, then two attempts that each give up after
    /// retry_timeout), which is why it requires that sum to be at most ttl: the leader should demote before its lock
    /// expires. Measured here: 8 to 19 s with the shipped 5 + 2*7 = 19 s (docs/reliability.md).
    /// </summary>
    public TimeSpan LeaderStopsWithoutStore => TimeSpan.FromSeconds(LoopWait + (2 * RetryTimeout)) + Slack;

    /// <summary>A new writable leader after the old one is gone or cut off (<see cref="FailoverBudget.MaxCrashFailover"/>).</summary>
    public TimeSpan NewLeader => TimeSpan.FromSeconds(Ttl + LoopWait + RetryTimeout) + Slack;

    /// <summary>A member cut off from the store drops out of it when its key expires: ttl, then the leader's next loop.</summary>
    public TimeSpan MemberExpires => TimeSpan.FromSeconds(Ttl + LoopWait + RetryTimeout) + Slack;

    /// <summary>
    /// An old primary back as a streaming replica: Patroni notices the new leader within a loop, runs pg_rewind and
    /// restarts PostgreSQL (seconds on these small databases); twice the failover budget leaves room for a retry.
    /// </summary>
    public TimeSpan Rejoin => (2 * NewLeader) + TimeSpan.FromSeconds(30);

    /// <summary>From a fault's end to one primary with two streaming replicas.</summary>
    public TimeSpan Converge => NewLeader + Rejoin;

    public override string ToString() => $"ttl {Ttl}s, loop_wait {LoopWait}s, retry_timeout {RetryTimeout}s";
}
