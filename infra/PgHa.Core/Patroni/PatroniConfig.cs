using System.Globalization;
using PgHa.Core.Backup;
using PgHa.Core.Settings;
using YamlDotNet.Serialization;

namespace PgHa.Core.Patroni;

/// <summary>
/// The Patroni configuration every member gets, as plain data: bootstrap DCS settings (timings, sync mode,
/// PostgreSQL parameters, slots, pg_rewind), initdb options and pg_hba. The pods receive it as
/// SPILO_CONFIGURATION; the real-process tests run exactly this and add only what is local to a machine
/// (the store section, addresses, directories, TLS files).
/// </summary>
public static class PatroniConfig
{
    /// <summary>The shared configuration tree.</summary>
    /// <param name="backup">
    /// With backups on, the local archiving parameters (Spilo adds the wal-g archive command); with backups off,
    /// archiving off, explicitly: Spilo's own default would "archive" into /bin/true and look healthy.
    /// </param>
    public static Dictionary<string, object> Build(PatroniSettings patroni, BackupSettings? backup = null)
    {
        var config = Shared(patroni);
        ((Dictionary<string, object>)config["postgresql"])["parameters"] = backup is null
            ? WalArchiving.Disabled()
            : WalArchiving.Parameters(backup.ArchiveTimeoutSeconds);
        return config;
    }

    private static Dictionary<string, object> Shared(PatroniSettings patroni) => new()
    {
        ["bootstrap"] = new Dictionary<string, object>
        {
            ["dcs"] = DynamicConfiguration(patroni),
            // data-checksums: corruption is detected, and pg_rewind works even without wal_log_hints.
            // C.UTF-8: byte-order collation that no libc upgrade can change under an index.
            ["initdb"] = new List<object>
            {
                new Dictionary<string, object> { ["encoding"] = "UTF8" },
                new Dictionary<string, object> { ["locale"] = "C.UTF-8" },
                "data-checksums",
            },
        },
        // Local, not dynamic: Spilo writes its own local pg_hba, and local configuration wins over the store's.
        ["postgresql"] = new Dictionary<string, object>
        {
            ["pg_hba"] = PgHbaRules.Build().ToList(),
        },
    };

    /// <summary>The dynamic configuration Patroni keeps in the store (what <c>patronictl show-config</c> prints).</summary>
    public static Dictionary<string, object> DynamicConfiguration(PatroniSettings patroni) => new()
    {
        ["ttl"] = patroni.Ttl,
        ["loop_wait"] = patroni.LoopWait,
        ["retry_timeout"] = patroni.RetryTimeout,
        ["maximum_lag_on_failover"] = patroni.MaximumLagOnFailoverBytes,
        ["synchronous_mode"] = patroni.SynchronousMode != SynchronousMode.Off,
        ["synchronous_mode_strict"] = patroni.SynchronousMode == SynchronousMode.Strict,
        // A leader that cannot reach the store (the Kubernetes API) but still reaches every member keeps running
        // instead of demoting: an API outage is not a database outage.
        ["failsafe_mode"] = true,
        ["postgresql"] = new Dictionary<string, object>
        {
            ["use_pg_rewind"] = true,
            ["use_slots"] = true,
            ["parameters"] = Parameters(patroni),
        },
    };

    /// <summary>The PostgreSQL parameters DESIGN.md defends, each overridable through settings.</summary>
    public static Dictionary<string, object> Parameters(PatroniSettings patroni) => new()
    {
        ["wal_level"] = "replica",
        ["hot_standby"] = "on",
        // pg_rewind needs hint-bit changes in WAL to rewind an old primary instead of re-cloning it.
        ["wal_log_hints"] = "on",
        ["max_wal_senders"] = 10,
        ["max_replication_slots"] = 10,
        // A dead replica's slot may keep at most this much WAL; then it is marked lost instead of filling the disk.
        ["max_slot_wal_keep_size"] = patroni.MaxSlotWalKeepSize,
        // Kept regardless of slots: a replica whose slot was lost can still catch up within this window.
        ["wal_keep_size"] = patroni.WalKeepSize,
        // Off: a long query on a replica must not bloat the primary.
        ["hot_standby_feedback"] = "off",
        ["password_encryption"] = "scram-sha-256",
    };

    /// <summary>
    /// The configuration as YAML (what SPILO_CONFIGURATION holds). Strings that YAML 1.1 reads as something else
    /// (on, off, yes, numbers) are quoted: Patroni's PyYAML would otherwise turn <c>archive_mode: off</c> into False,
    /// write it back as "False" and log a spurious "restart might be required" on every reload.
    /// </summary>
    public static string ToYaml(Dictionary<string, object> config) =>
        new SerializerBuilder().DisableAliases().WithQuotingNecessaryStrings(quoteYaml1_1Strings: true).Build().Serialize(config);

    /// <summary>Patroni's REST readiness path: 200 for the leader and for replicas at most <paramref name="maxLagBytes"/> behind.</summary>
    public static string ReadinessPath(long maxLagBytes) =>
        "/read-only?lag=" + maxLagBytes.ToString(CultureInfo.InvariantCulture);

    public const string LivenessPath = "/liveness";
    public const int RestApiPort = 8008;
    public const int PostgresPort = 5432;
}
