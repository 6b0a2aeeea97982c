using PgHa.Core.DayTwo;
using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>Observed clusters and desired states for the day-2 planner's tests, named the way the dev stack names them.</summary>
internal static class DayTwoCluster
{
    public const string Name = "agentic-pm-db";
    public const string OldRevision = "agentic-pm-db-6d4f9c7b8";
    public const string NewRevision = "agentic-pm-db-7f8e5a2c1";
    public const long MaxLag = 16L << 20;

    /// <summary>
    /// Patroni's GET /config of a cluster bootstrapped with the default settings, as Patroni returns it (numbers as
    /// numbers, PostgreSQL values as given), plus keys the stack does not manage (left alone).
    /// </summary>
    public const string DefaultConfigJson = """
        {
          "ttl": 20, "loop_wait": 5, "retry_timeout": 7, "maximum_lag_on_failover": 1048576,
          "synchronous_mode": false, "synchronous_mode_strict": false, "failsafe_mode": true,
          "check_timeline": true,
          "postgresql": {
            "use_pg_rewind": true, "use_slots": true,
            "parameters": {
              "wal_level": "replica", "hot_standby": "on", "wal_log_hints": "on",
              "max_wal_senders": 10, "max_replication_slots": 10,
              "max_slot_wal_keep_size": "4GB", "wal_keep_size": "512MB",
              "hot_standby_feedback": "off", "password_encryption": "scram-sha-256",
              "work_mem": "8MB"
            }
          }
        }
        """;

    public static string Pod(int ordinal) => $"{Name}-{ordinal}";

    public static string Claim(int ordinal) => $"pgdata-{Name}-{ordinal}";

    /// <summary>The default config with some top-level keys replaced (e.g. ("ttl", "30"), ("synchronous_mode", "true")).</summary>
    public static LivePatroniConfiguration Config(params (string Key, string Json)[] replaced)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(DefaultConfigJson)!.AsObject();
        foreach (var (key, json) in replaced)
        {
            var target = node;
            var keys = key.Split('/');
            foreach (var k in keys[..^1])
            {
                target = target[k]!.AsObject();
            }

            target[keys[^1]] = System.Text.Json.Nodes.JsonNode.Parse(json);
        }

        return LivePatroniConfiguration.FromJson(node.ToJsonString());
    }

    /// <summary>
    /// A healthy cluster: every member streaming (the leader running), caught up, on <paramref name="revision"/>,
    /// with 20Gi volumes and the default configuration (or <paramref name="config"/>).
    /// </summary>
    public static ObservedCluster Healthy(
        int members,
        int leader,
        int? syncStandby = null,
        string revision = OldRevision,
        string updateRevision = OldRevision,
        LivePatroniConfiguration? config = null) =>
        new(
            Enumerable.Range(0, members).Select(i => new ObservedMember(
                Pod(i),
                i,
                i == leader ? PatroniRole.Leader : i == syncStandby ? PatroniRole.SyncStandby : PatroniRole.Replica,
                i == leader ? MemberState.Running : MemberState.Streaming,
                Timeline: 3,
                LagBytes: 0,
                revision)).ToArray(),
            config ?? Config(),
            updateRevision,
            members,
            Enumerable.Range(0, members).Select(i => new ObservedVolume(Claim(i), i, "20Gi", "20Gi")).ToArray(),
            []);

    /// <summary>The cluster with one member changed.</summary>
    public static ObservedCluster WithMember(this ObservedCluster cluster, int ordinal, Func<ObservedMember, ObservedMember> change) =>
        cluster with { Members = cluster.Members.Select(m => m.Ordinal == ordinal ? change(m) : m).ToArray() };

    public static ObservedCluster Rotated(this ObservedCluster cluster, params RotatedCredential[] rotated) =>
        cluster with { RotatedCredentials = rotated };

    /// <summary>The desired state of the stack config with these keys set (cluster named agentic-pm-db).</summary>
    public static DesiredState Desired(bool podTemplateChanges = false, params (string Key, string? Value)[] changes) =>
        DesiredState.From(TestConfig.LoadValid([("pgha:clusterName", Name), .. changes]), podTemplateChanges);

    public static DesiredState Desired(params (string Key, string? Value)[] changes) => Desired(false, changes);

    // Expected steps, spelled as briefly as the tables need.
    public static RecreatePod Recreate(int ordinal, params RestartReason[] reasons) =>
        new(Pod(ordinal), reasons.Length == 0 ? [RestartReason.PodTemplate] : reasons);

    public static RestartPostgres RestartPg(int ordinal, params string[] parameters) => new(Pod(ordinal), parameters);

    public static AwaitMember Await(int ordinal) => new(Pod(ordinal), MaxLag);

    public static Switchover SwitchTo(int from, int to, bool sync = false) => new(Pod(from), Pod(to), sync);

    public static DropReplicationSlot DropSlot(int ordinal) => new($"agentic_pm_db_{ordinal}", Pod(ordinal));

    public static ScaleStatefulSet Scale(int from, int to) => new(Name, from, to);

    /// <summary>Restart a replica and wait for it: the pair every rollout is made of.</summary>
    public static DayTwoStep[] Roll(int ordinal, params RestartReason[] reasons) => [Recreate(ordinal, reasons), Await(ordinal)];
}
