namespace PgHa.Core.Patroni;

/// <summary>
/// Client authentication (pg_hba.conf lines, first match wins). Everything from the network is TLS and
/// SCRAM; the only password-less path is the postgres OS user on the pod's own socket (Patroni, Spilo's scripts).
/// </summary>
public static class PgHbaRules
{
    /// <summary>
    /// Replication lines name no role: Spilo takes the replication username from the Secret (PGUSER_STANDBY), which
    /// may be an existing Secret's, so a line naming the configured role could disagree with it and lock replicas out.
    /// PostgreSQL admits a replication connection only for a role with REPLICATION (or a superuser) anyway.
    /// </summary>
    public static IReadOnlyList<string> Build() =>
    [
        "local     all          postgres                   peer",
        "local     all          all                        scram-sha-256",
        "local     replication  all                        scram-sha-256",
        "hostssl   replication  all            all         scram-sha-256",
        "hostssl   all          all            all         scram-sha-256",
        // Explicit: a client that does not use TLS is told so, instead of failing on a missing rule.
        "hostnossl all          all            all         reject",
    ];
}
