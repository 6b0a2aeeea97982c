using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// A plain PostgreSQL server on a free loopback port in a temp dir (no Patroni): e.g. the old single instance a
/// migration reads from. Runs as the postgres OS user under tini; disposing stops it and deletes its files.
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
        var directory = System.IO.Directory.CreateTempSubdirectory("pgha-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var data = Path.Combine(directory, "data");
        var passwordFile = Path.Combine(directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password);
        if (OsProcess.IsRoot)
        {
            await OsProcess.RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }

        await OsProcess.RunAsync(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--locale=C.UTF-8", "--encoding=UTF8"],
            TimeSpan.FromSeconds(120), asPostgres: true);
        return await StartExistingAsync(directory, password, [], log);
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

        var server = OsProcess.StartLogged(Path.Combine(directory, "postgres.log"), "tini", args, asPostgres: true);
        var postgres = new LoopbackPostgres(directory, port, password, server);
        try
        {
            await Wait.UntilTrueAsync($"PostgreSQL on 127.0.0.1:{port} to accept connections", TimeSpan.FromSeconds(60), async () =>
            {
                if (server.HasExited)
                {
                    throw new FatalWaitException($"postgres exited; see {directory}/postgres.log:{Environment.NewLine}{Tail(Path.Combine(directory, "postgres.log"))}");
                }

                await using var connection = new NpgsqlConnection(postgres.ConnectionString());
                await connection.OpenAsync();
                return true;
            }, log);
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join(Environment.NewLine, File.ReadLines(file).TakeLast(15)) : "(no log)";

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
