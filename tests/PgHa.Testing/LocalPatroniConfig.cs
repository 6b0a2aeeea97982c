using PgHa.Core.Backup;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Testing;

/// <summary>
/// A member's Patroni configuration on a test machine: exactly the shared configuration the pods get
/// (<see cref="PatroniConfig.Build"/>), plus only what is local: the store (etcd3 instead of the Kubernetes API),
/// addresses and ports (also where the REST API listens; who may drive it is the pods'), directories, the log file, TLS files
/// (with a REST API CA also the REST API's, as Spilo's SSL_RESTAPI_* set them), and the credentials Spilo would take from the Secrets.
/// Written as YAML by <see cref="PatroniConfig.ToYaml"/>, as the pods' is.
/// </summary>
public static class LocalPatroniConfig
{
    public static PatroniConfiguration Build(PgHaSettings settings, string scope, string etcdHostPort, PatroniMember member,
        string binDirectory, string certificate, string key, string superuserPassword, string replicationPassword,
        string? archiveDirectory = null, string? replicationUsername = null, string? restApiCaFile = null)
    {
        var shared = PatroniConfig.Build(settings.Patroni, settings.Backup);

        // Added to the shared local parameters (the archiving ones when backups are on), as Spilo merges its own.
        var parameters = shared.Postgresql.Parameters.With(PostgresParameters.Of(
            ("unix_socket_directories", member.Directory),
            ("ssl", "on"),
            ("ssl_cert_file", certificate),
            ("ssl_key_file", key)));
        if (settings.Backup is not null && archiveDirectory is not null)
        {
            // The bucket's stand-in: Spilo's command is wal-g wal-push; the rest of the archiving settings are the pods'.
            parameters = parameters.With("archive_command", WalArchiving.CopyToDirectoryCommand(archiveDirectory));
        }

        return shared with
        {
            Postgresql = shared.Postgresql with
            {
                Parameters = parameters,
                Listen = $"{member.Address}:{member.PostgresPort}",
                ConnectAddress = $"{member.Address}:{member.PostgresPort}",
                DataDir = member.DataDirectory,
                BinDir = binDirectory,
                Pgpass = Path.Combine(member.Directory, "pgpass"),
                // As in the Spilo pods: Patroni talks to its own PostgreSQL over the Unix socket.
                UseUnixSocket = true,
                UseUnixSocketRepl = true,
                Authentication = new PatroniAuthentication(
                    new PatroniCredentials(Defaults.SuperuserName, superuserPassword),
                    new PatroniCredentials(replicationUsername ?? settings.Credentials.Replication.Username, replicationPassword)),
            },
            Scope = scope,
            Namespace = "/pgha-tests/",
            Name = member.Name,
            Etcd3 = new PatroniEtcd3([etcdHostPort]),
            RestApi = (shared.RestApi ?? new PatroniRestApi()) with
            {
                Listen = $"{member.Address}:{member.RestPort}",
                ConnectAddress = $"{member.Address}:{member.RestPort}",
                // With a CA, HTTPS as Spilo configures it from SSL_RESTAPI_*: the member's certificate (PostgreSQL's too) served
                // and presented to the others, client certificates verified against the CA.
                Certfile = restApiCaFile is null ? null : certificate,
                Keyfile = restApiCaFile is null ? null : key,
                Cafile = restApiCaFile,
            },
            Watchdog = new PatroniWatchdog("off"),
            // Patroni's own log in its own file (patroni.log), so that PostgreSQL's output (the member's stdout and
            // stderr) stays apart in postgres.log and each can be shown on its own when a wait gives up.
            Log = new PatroniLog(member.Directory),
        };
    }
}
