namespace PgHa.Core.DayTwo;

/// <summary>
/// A member's state. Patroni 3.0.4 and later report <c>streaming</c> for a replica receiving WAL from the leader;
/// older Patroni reports <c>running</c> for every live member, so the caller reports <see cref="Streaming"/> for a
/// replica only when it knows the replica streams (its state says so, or the leader's <c>pg_stat_replication</c> lists
/// it as streaming).
/// </summary>
public enum MemberState
{
    /// <summary>PostgreSQL runs (the leader's healthy state).</summary>
    Running,

    /// <summary>A replica receiving WAL from the leader (a replica's healthy state).</summary>
    Streaming,

    /// <summary>PostgreSQL is starting, restarting, or a replica is being created.</summary>
    Starting,

    /// <summary>PostgreSQL is stopped, crashed, or the pod is not running.</summary>
    Stopped,

    /// <summary>Anything else (e.g. a replica in archive recovery that does not stream).</summary>
    Other,
}
