namespace PgHa.Core.DayTwo;

/// <summary>The running cluster as the executor read it just before planning.</summary>
/// <param name="Members">Every pod of the StatefulSet with what Patroni says about it.</param>
/// <param name="Configuration">The body of Patroni's <c>GET /config</c>.</param>
/// <param name="UpdateRevision">The StatefulSet's status.updateRevision: the revision every member should run.</param>
/// <param name="Replicas">The StatefulSet's spec.replicas.</param>
/// <param name="Volumes">The members' data claims (pgdata-&lt;pod&gt;), including claims left by an earlier scale-down.</param>
/// <param name="RotatedCredentials">Roles whose Secret holds a password the database does not have yet.</param>
/// <param name="Paused">Patroni is in maintenance mode (paused): it would not fail over if a restart went wrong.</param>
public sealed record ObservedCluster(
    IReadOnlyList<ObservedMember> Members,
    LivePatroniConfiguration Configuration,
    string UpdateRevision,
    int Replicas,
    IReadOnlyList<ObservedVolume> Volumes,
    IReadOnlyList<RotatedCredential> RotatedCredentials,
    bool Paused = false);
