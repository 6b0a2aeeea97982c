using System.Globalization;
using PgHa.Core.Backup;
using PgHa.Core.Settings;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PgHa.Core.Patroni;

/// <summary>
/// The Patroni configuration every member gets, as typed records: bootstrap DCS settings (timings, sync mode,
/// PostgreSQL parameters, slots, pg_rewind), initdb options and pg_hba. The pods receive it as
/// SPILO_CONFIGURATION; the real-process tests run exactly this and add only what is local to a machine
/// (the store section, addresses, directories, TLS files).
/// </summary>
public static class PatroniConfig
{
    /// <summary>The shared configuration.</summary>
    /// <param name="backup">
    /// With backups on, the local archiving parameters (Spilo adds the wal-g archive command); with backups off,
    /// archiving off, explicitly: Spilo's own default would "archive" into /bin/true and look healthy.
    /// </param>
    public static PatroniConfiguration Build(PatroniSettings patroni, BackupSettings? backup = null) => new(
        new PatroniBootstrap(
            DynamicConfiguration(patroni),
            // data-checksums: corruption is detected, and pg_rewind works even without wal_log_hints.
            // C.UTF-8: byte-order collation that no libc upgrade can change under an index.
            [InitdbOption.Setting("encoding", "UTF8"), InitdbOption.Setting("locale", "C.UTF-8"), InitdbOption.Flag("data-checksums")]),
        // Local, not dynamic: Spilo writes its own local pg_hba, and local configuration wins over the store's.
        new PatroniPostgresql(
            PgHbaRules.Build(),
            backup is null ? WalArchiving.Disabled() : WalArchiving.Parameters(backup.ArchiveTimeoutSeconds)))
    {
        // Unsafe REST calls need a client certificate from the cluster's CA: the members' own (Spilo sets restapi.certfile,
        // keyfile and cafile from SSL_RESTAPI_*, and Patroni presents restapi.certfile when it calls the others) or the
        // operator's (pgha, the provider). GETs (probes, Prometheus, the backup election) need none. Not an allowlist:
        // allowlist_include_members takes the members from the store, so in a store outage (after ttl) it refuses the
        // leader's POST /failsafe and failsafe_mode demotes the primary anyway (the fault suite's store outage caught it);
        // a certificate does not depend on the store.
        RestApi = new PatroniRestApi { VerifyClient = VerifyClientOptional },
        // The members call each other at the api_url each published: https://<pod IP>:8008. No certificate names pod IPs
        // (they are not known when it is issued), so the host name check is off; the chain is still verified against
        // restapi.cafile (Patroni keeps CERT_REQUIRED when a client certificate is set), so only a holder of a key the
        // cluster's CA signed is answered. Without this, every inter-member call (POST /failsafe included) would fail.
        Ctl = new PatroniCtl { Insecure = true },
    };

    /// <summary><c>restapi.verify_client</c>: unsafe endpoints need a client certificate, GETs do not.</summary>
    public const string VerifyClientOptional = "optional";

    /// <summary>The dynamic configuration Patroni keeps in the store (what <c>patronictl show-config</c> prints).</summary>
    public static PatroniDynamicConfiguration DynamicConfiguration(PatroniSettings patroni) => new(
        Ttl: patroni.Ttl,
        LoopWait: patroni.LoopWait,
        RetryTimeout: patroni.RetryTimeout,
        MaximumLagOnFailover: patroni.MaximumLagOnFailoverBytes,
        SynchronousMode: patroni.SynchronousMode != SynchronousMode.Off,
        SynchronousModeStrict: patroni.SynchronousMode == SynchronousMode.Strict,
        // A leader that cannot reach the store (the Kubernetes API) but still reaches every member keeps running
        // instead of demoting: an API outage is not a database outage.
        FailsafeMode: true,
        Postgresql: new PatroniDynamicPostgresql(UsePgRewind: true, UseSlots: true, Parameters(patroni)));

    /// <summary>The PostgreSQL parameters DESIGN.md defends, each overridable through settings.</summary>
    public static PostgresParameters Parameters(PatroniSettings patroni) => PostgresParameters.Of(
        ("wal_level", "replica"),
        ("hot_standby", "on"),
        // pg_rewind needs hint-bit changes in WAL to rewind an old primary instead of re-cloning it.
        ("wal_log_hints", "on"),
        ("max_wal_senders", 10),
        ("max_replication_slots", 10),
        // A dead replica's slot may keep at most this much WAL; then it is marked lost instead of filling the disk.
        ("max_slot_wal_keep_size", patroni.MaxSlotWalKeepSize),
        // Kept regardless of slots: a replica whose slot was lost can still catch up within this window.
        ("wal_keep_size", patroni.WalKeepSize),
        // Off: a long query on a replica must not bloat the primary.
        ("hot_standby_feedback", "off"),
        ("password_encryption", "scram-sha-256"));

    /// <summary>
    /// The configuration as YAML (what SPILO_CONFIGURATION holds, and a test member's patroni.yml): keys in Patroni's
    /// snake_case, unset (null) sections left out. Strings that YAML 1.1 reads as something else (on, off, yes,
    /// numbers) are quoted: Patroni's PyYAML would otherwise turn <c>archive_mode: off</c> into False, write it back
    /// as "False" and log a spurious "restart might be required" on every reload.
    /// </summary>
    public static string ToYaml(PatroniConfiguration config) => Serializer.Serialize(config);

    /// <summary>
    /// Everything but the bootstrap section as YAML: what Patroni takes from SPILO_CONFIGURATION only when the pod starts
    /// (the local <c>postgresql</c> section, ...). The bootstrap section's
    /// dynamic configuration reaches a running cluster through <c>PATCH /config</c> instead.
    /// </summary>
    public static string LocalYaml(PatroniConfiguration config)
    {
        var sections = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(ToYaml(config));
        sections.Remove("bootstrap");
        return Serializer.Serialize(sections);
    }

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .DisableAliases()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings(quoteYaml1_1Strings: true)
        .WithTypeConverter(new PatroniYamlConverter())
        .Build();

    /// <summary>Patroni's REST readiness path: 200 for the leader and for replicas at most <paramref name="maxLagBytes"/> behind.</summary>
    public static string ReadinessPath(long maxLagBytes) =>
        "/read-only?lag=" + maxLagBytes.ToString(CultureInfo.InvariantCulture);

    public const string LivenessPath = "/liveness";
    public const int RestApiPort = 8008;
    public const int PostgresPort = 5432;

    /// <summary>The ports' names in the pods and the Services (the PodMonitor scrapes Patroni's by name).</summary>
    public const string RestApiPortName = "patroni";
    public const string PostgresPortName = "postgresql";
}
