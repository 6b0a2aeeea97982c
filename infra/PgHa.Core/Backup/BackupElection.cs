using System.Text.Encodings.Web;
using System.Text.Json;
using PgHa.Core.Settings;

namespace PgHa.Core.Backup;

/// <summary>
/// Which member takes the scheduled base backup. Every pod runs the same cron line; the script asks Patroni
/// and lets exactly one member run Spilo's backup: the first healthy replica by name (sparing the primary), or
/// the leader when no replica is healthy, so a cluster whose replicas are all down still gets its backup.
/// (Spilo's own cron line would run on every replica, or on none when they are all down.)
/// </summary>
public static class BackupElection
{
    public const string ScriptFile = "elect_backup.py";
    public const string MountPath = "/etc/pgha-backup";

    /// <summary>Spilo's env dir for WAL-G (RW_DIR /run), which its backup script reads.</summary>
    public const string WalGEnvDirectory = "/run/etc/wal-e.d/env";

    /// <summary>A schedule cron accepts but never reaches (30 February): Spilo's own backup line is replaced by ours.</summary>
    public const string NeverSchedule = "0 0 30 2 *";

    /// <summary>The cron line every pod gets (Spilo's CRONTAB takes a YAML list of lines).</summary>
    public static string CronLine(BackupSettings backup, string dataDirectory) =>
        $"{backup.Schedule} PGHA_BACKUP_FROM={(backup.FromReplica ? "replica" : "leader")} " +
        $"envdir \"{WalGEnvDirectory}\" python3 {MountPath}/{ScriptFile} \"{dataDirectory}\"";

    /// <summary>The line as a one-element list in JSON (which is YAML, as Spilo reads it).</summary>
    public static string CrontabEnv(BackupSettings backup, string dataDirectory) =>
        JsonSerializer.Serialize(new[] { CronLine(backup, dataDirectory) }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>
    /// The election (Python 3, in the Spilo image and on Debian). Environment: PGHA_BACKUP_FROM (replica or
    /// leader), and for tests PGHA_MEMBER_NAME (default: the host name, which is the pod name),
    /// PGHA_PATRONI_API (default https://localhost:8008, the member's own REST API), PGHA_PATRONI_CA (default the
    /// cluster's CA as the pod mounts it, <see cref="Tls.ClusterTls.CaFile"/>) and PGHA_BACKUP_COMMAND (default Spilo's
    /// script). Over HTTPS the member's certificate is verified against the CA but not its name: "localhost" is not on
    /// it (it names the Services and pods); GET /cluster needs no client certificate.
    /// </summary>
    public const string Script = """
        #!/usr/bin/env python3
        # pg-ha: run the scheduled base backup on exactly one member (see PgHa.Core.Backup.BackupElection).
        import json, os, socket, ssl, sys, urllib.request

        api = os.environ.get('PGHA_PATRONI_API', 'https://localhost:8008')
        ca = os.environ.get('PGHA_PATRONI_CA', '/tls/ca.crt')
        me = os.environ.get('PGHA_MEMBER_NAME') or socket.gethostname()
        command = os.environ.get('PGHA_BACKUP_COMMAND', '/scripts/postgres_backup.sh')
        prefer_replica = os.environ.get('PGHA_BACKUP_FROM', 'replica') == 'replica'


        def log(message):
            print('pgha-backup: ' + message, flush=True)


        try:
            context = None
            if api.startswith('https:'):
                context = ssl.create_default_context(cafile=ca)
                context.check_hostname = False
            with urllib.request.urlopen(api + '/cluster', timeout=10, context=context) as response:
                members = json.load(response).get('members', [])
        except Exception as e:
            log('cannot read the cluster from %s/cluster (%s): no backup on %s' % (api, e, me))
            sys.exit(1)

        replicas = sorted(m['name'] for m in members
                          if m.get('role') in ('replica', 'sync_standby') and m.get('state') in ('streaming', 'running'))
        leaders = [m['name'] for m in members if m.get('role') in ('leader', 'master') and m.get('state') == 'running']
        from_replica = prefer_replica and len(replicas) > 0
        chosen = replicas[0] if from_replica else (leaders[0] if leaders else None)
        if chosen != me:
            log('the base backup runs on %s, not on %s' % (chosen or 'no member (no running leader)', me))
            sys.exit(0)

        log('taking the base backup on %s (%s)' % (me, 'the first healthy replica' if from_replica else 'the leader'))
        env = dict(os.environ, WALG_BACKUP_FROM_REPLICA='true' if from_replica else 'false')
        os.execvpe(command, [command] + sys.argv[1:], env)
        """;
}
