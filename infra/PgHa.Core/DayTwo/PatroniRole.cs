namespace PgHa.Core.DayTwo;

/// <summary>A member's role as Patroni's <c>GET /cluster</c> reports it.</summary>
public enum PatroniRole
{
    /// <summary>Holds the leader lock: the primary.</summary>
    Leader,

    /// <summary>An asynchronous streaming replica.</summary>
    Replica,

    /// <summary>The replica a synchronous-mode leader waits for.</summary>
    SyncStandby,
}
