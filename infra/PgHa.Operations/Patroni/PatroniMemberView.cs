namespace PgHa.Operations.Patroni;

/// <summary>One member as Patroni's <c>GET /cluster</c> describes it.</summary>
/// <param name="Role">leader (master or primary in some versions), standby_leader, sync_standby or replica.</param>
/// <param name="State">Patroni's state of its PostgreSQL: running, streaming, starting, stopped, ...</param>
/// <param name="LagBytes">How far a replica is behind the leader's last published position; null for the leader or when Patroni says "unknown".</param>
/// <param name="Host">Where its PostgreSQL listens, as the member published it.</param>
/// <param name="ApiUrl">Its Patroni REST API as the member published it (the /patroni address; <see cref="PatroniClient"/> resolves each call's path against it).</param>
public sealed record PatroniMemberView(
    string Name,
    string Role,
    string State,
    int? Timeline,
    long? LagBytes,
    string? Host = null,
    int? Port = null,
    Uri? ApiUrl = null,
    bool PendingRestart = false)
{
    /// <summary>Holds the leader lock: "leader" (Patroni 3 and 4), "master" or "primary" in older or newer names, or a standby cluster's leader.</summary>
    public bool IsLeader => Role is "leader" or "master" or "primary" or "standby_leader";

    public bool IsSyncStandby => Role is "sync_standby";
}
