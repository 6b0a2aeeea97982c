namespace PgHa.Core.Patroni;

/// <summary>
/// Client authentication (pg_hba.conf lines, first match wins). Everything from the network is TLS and
/// SCRAM; the only password-less path is the postgres OS user on the pod's own socket (Patroni, Spilo's scripts).
/// </summary>
public static class PgHbaRules
{
    public static IReadOnlyList<string> Build(string replicationUser) =>
    [
        "local     all          postgres                   peer",
        "local     all          all                        scram-sha-256",
        $"local     replication  {replicationUser,-14}             scram-sha-256",
        $"hostssl   replication  {replicationUser,-14} all         scram-sha-256",
        "hostssl   all          all            all         scram-sha-256",
        // Explicit: a client that does not use TLS is told so, instead of failing on a missing rule.
        "hostnossl all          all            all         reject",
    ];
}
