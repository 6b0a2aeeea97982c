using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// A plain PostgreSQL server on a free loopback port in a directory of this process's <see cref="HarnessRun"/> (no
/// Patroni): e.g. the old single instance a migration reads from. Runs as the postgres OS user under tini, in its
/// directory (its working directory too); disposing stops it and deletes its files.
/// </summary>
public sealed class LoopbackPostgres : IAsyncDisposable
{
    private readonly Process _server;
    private bool _disposed;

    private LoopbackPostgres(string directory, int port, string password, Process server)
    {
        Directory = directory;
        Port = port;
        Password = password;
        _server = server;
    }

    public string Directory { get; }
    public int Port { get; }
    public string Password { get; }

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Password = Password, Database = database, Pooling = false, Timeout = 5,
    }.ConnectionString;

    public static async Task<LoopbackPostgres> StartAsync(Action<string>? log = null)
    {
        var bin = PatroniCluster.FindBinDirectory();
        var directory = HarnessRun.Start(log).CreateDirectory("postgres-", forPostgres: false);
        try
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            var data = Path.Combine(directory, "data");
            var passwordFile = Path.Combine(directory, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password);
            HarnessRun.GiveToPostgres(directory);
            // initdb comes first, but what the server will need is checked with it: nothing starts unless all is there.
            var problems = new List<string>();
            var (_, requirements) = ServerRequirements(bin, directory, problems);
            HarnessPreflight.AddExecutable(Path.Combine(bin, "initdb"), "PostgreSQL's initdb", PostgresPackageFix, requirements);
            requirements.Add(PostgresAccess.Readable(passwordFile, "the superuser's password file", HarnessPreflight.RootFix));
            await HarnessPreflight.CheckAsync(requirements, problems);

            await OsProcess.RunAsync(Path.Combine(bin, "initdb"),
                ["-D", data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--locale=C.UTF-8", "--encoding=UTF8"],
                TimeSpan.FromSeconds(120), asPostgres: true, workingDirectory: directory);
            return await StartExistingAsync(directory, password, [], log);
        }
        catch (Exception) when (System.IO.Directory.Exists(directory) && !HarnessRun.KeepDirectories)
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private const string PostgresPackageFix = "install the Debian package postgresql-15 (scripts/test.sh does)";

    /// <summary>
    /// What the postgres user needs to run the server: tini (its path is returned), postgres, and the server's
    /// directory (working directory, socket, log).
    /// </summary>
    private static (string Tini, List<PostgresAccess> Requirements) ServerRequirements(string bin, string directory, List<string> problems)
    {
        var requirements = new List<PostgresAccess>();
        var tini = HarnessPreflight.Program("tini", "tini", requirements, problems);
        HarnessPreflight.AddExecutable(Path.Combine(bin, "postgres"), "PostgreSQL's server", PostgresPackageFix, requirements);
        requirements.Add(PostgresAccess.Writable(directory, "the server's directory: working directory, socket, log",
            $"make it the postgres user's (chown -R postgres:postgres {directory}) in a directory postgres can enter, e.g. under {HarnessRun.DefaultRoot}"));
        return (tini, requirements);
    }

    /// <summary>
    /// Starts PostgreSQL on a data directory already at <c>&lt;directory&gt;/data</c> (e.g. a restored base backup),
    /// with <paramref name="settings"/> (<c>name=value</c>) overriding its configuration. Waits until it accepts
    /// connections; disposing stops it and deletes <paramref name="directory"/>.
    /// </summary>
    public static async Task<LoopbackPostgres> StartExistingAsync(string directory, string password, IEnumerable<string> settings, Action<string>? log = null)
    {
        var bin = PatroniCluster.FindBinDirectory();
        var data = Path.Combine(directory, "data");
        var problems = new List<string>();
        var (tini, requirements) = ServerRequirements(bin, directory, problems);
        requirements.Add(PostgresAccess.Writable(data, "the data directory", $"chown -R postgres:postgres {data}"));
        await HarnessPreflight.CheckAsync(requirements, problems);
        var port = FreePorts.Take(1)[0];
        var args = new List<string>
        {
            "-s", "--", Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", directory, "-c", "listen_addresses=127.0.0.1",
        };
        foreach (var setting in settings)
        {
            args.AddRange(["-c", setting]);
        }

        var logFile = Path.Combine(directory, "postgres.log");
        var server = OsProcess.StartLogged(logFile, tini, args, asPostgres: true, workingDirectory: directory);
        var postgres = new LoopbackPostgres(directory, port, password, server);
        try
        {
            await Wait.UntilTrueAsync($"PostgreSQL on 127.0.0.1:{port} to accept connections", TimeSpan.FromSeconds(60), async () =>
            {
                if (server.HasExited)
                {
                    throw new FatalWaitException($"postgres exited.{LogTail.Section("the server's log", logFile)}");
                }

                await using var connection = new NpgsqlConnection(postgres.ConnectionString());
                await connection.OpenAsync();
                return true;
            }, log);
            return postgres;
        }
        catch (TimeoutException e)
        {
            var tail = LogTail.Section("the server's log", logFile);
            await postgres.DisposeAsync();
            throw new TimeoutException(e.Message + tail, e);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes the server certificate and key of <paramref name="issued"/> into the server's directory and turns TLS
    /// on with them in postgresql.auto.conf; it takes effect with the caller's reload (as Spilo's cron reloads a renewed
    /// certificate), so a caller can change more settings in the same reload.
    /// </summary>
    public async Task InstallCertificateAsync(PgHa.Core.Tls.IssuedCertificates issued)
    {
        var certificate = Path.Combine(Directory, "server.crt");
        var key = Path.Combine(Directory, "server.key");
        await File.WriteAllTextAsync(certificate, issued.CertificatePem);
        await File.WriteAllTextAsync(key, issued.PrivateKeyPem);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        HarnessRun.GiveToPostgres(Directory);
        await ExecuteAsync($"ALTER SYSTEM SET ssl_cert_file = '{certificate}'");
        await ExecuteAsync($"ALTER SYSTEM SET ssl_key_file = '{key}'");
        await ExecuteAsync("ALTER SYSTEM SET ssl = on");
    }

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_server.HasExited)
        {
            // SIGTERM to postgres (tini's child), so tini, its reaper, exits with it.
            foreach (var child in OsProcess.Children(_server.Id))
            {
                OsProcess.Signal(child, OsProcess.SigTerm);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _server.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _server.Kill(entireProcessTree: true);
            }
        }

        _server.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
