using PgHa.Core.Backup;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Testing;

/// <summary>
/// A member's Patroni configuration on a test machine: exactly the shared configuration the pods get
/// (<see cref="PatroniConfig.Build"/>), plus only what is local: the store (etcd3 instead of the Kubernetes API),
/// addresses and ports, directories, the log file, TLS files, and the credentials Spilo would take from the Secrets.
/// </summary>
public static class LocalPatroniConfig
{
    public static Dictionary<string, object> Build(PgHaSettings settings, string scope, string etcdHostPort, PatroniMember member,
        string binDirectory, string certificate, string key, string superuserPassword, string replicationPassword,
        string? archiveDirectory = null)
    {
        var config = PatroniConfig.Build(settings.Patroni, settings.Backup);
        config["scope"] = scope;
        config["namespace"] = "/pgha-tests/";
        config["name"] = member.Name;
        config["etcd3"] = new Dictionary<string, object> { ["hosts"] = new List<object> { etcdHostPort } };
        config["restapi"] = new Dictionary<string, object>
        {
            ["listen"] = $"{member.Address}:{member.RestPort}",
            ["connect_address"] = $"{member.Address}:{member.RestPort}",
        };
        config["watchdog"] = new Dictionary<string, object> { ["mode"] = "off" };
        // Patroni's own log in its own file (patroni.log), so that PostgreSQL's output (the member's stdout and
        // stderr) stays apart in postgres.log and each can be shown on its own when a wait gives up.
        config["log"] = new Dictionary<string, object> { ["dir"] = member.Directory };

        var postgresql = (Dictionary<string, object>)config["postgresql"];
        postgresql["listen"] = $"{member.Address}:{member.PostgresPort}";
        postgresql["connect_address"] = $"{member.Address}:{member.PostgresPort}";
        postgresql["data_dir"] = member.DataDirectory;
        postgresql["bin_dir"] = binDirectory;
        postgresql["pgpass"] = Path.Combine(member.Directory, "pgpass");
        // As in the Spilo pods: Patroni talks to its own PostgreSQL over the Unix socket.
        postgresql["use_unix_socket"] = true;
        postgresql["use_unix_socket_repl"] = true;
        postgresql["authentication"] = new Dictionary<string, object>
        {
            ["superuser"] = new Dictionary<string, object> { ["username"] = Defaults.SuperuserName, ["password"] = superuserPassword },
            ["replication"] = new Dictionary<string, object>
            {
                ["username"] = settings.Credentials.Replication.Username,
                ["password"] = replicationPassword,
            },
        };
        // Added to the shared local parameters (the archiving ones when backups are on), as Spilo merges its own.
        var parameters = postgresql.TryGetValue("parameters", out var shared) ? (Dictionary<string, object>)shared : [];
        parameters["unix_socket_directories"] = member.Directory;
        parameters["ssl"] = "on";
        parameters["ssl_cert_file"] = certificate;
        parameters["ssl_key_file"] = key;
        if (settings.Backup is not null && archiveDirectory is not null)
        {
            // The bucket's stand-in: Spilo's command is wal-g wal-push; the rest of the archiving settings are the pods'.
            parameters["archive_command"] = WalArchiving.CopyToDirectoryCommand(archiveDirectory);
        }

        postgresql["parameters"] = parameters;
        return config;
    }
}
