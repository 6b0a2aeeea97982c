using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// One Patroni member on loopback: Patroni under tini (a subreaper, because Patroni orphans the postmaster on
/// purpose and PID 1 here may not reap), its PostgreSQL, and its REST API. Everything runs as the postgres OS user
/// in the member's own directory (its working directory too), which that user owns.
/// </summary>
public sealed class PatroniMember
{
    private static readonly HttpClient PlainHttp = new() { Timeout = TimeSpan.FromSeconds(3) };

    // Patroni answers POST /switchover, /failover and /restart only once the action is done (it waits for the new
    // leader), which on a loaded 2-core machine can take well over the probes' 3 s.
    private static readonly HttpClient PlainActions = new() { Timeout = TimeSpan.FromSeconds(60) };

    private readonly HttpClient Http;
    private readonly HttpClient Actions;
    private string _superuserPassword;
    private readonly Action<string>? _log;
    private readonly string _tiniPath;
    private readonly string _patroniPath;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private Process? _tini;

    internal PatroniMember(string name, string directory, int postgresPort, int restPort, string superuserPassword, string tini,
        string patroni, Action<string>? log, string address = "127.0.0.1", IReadOnlyDictionary<string, string>? environment = null,
        PgHa.Operations.Patroni.PatroniApiCredentials? restApiTls = null)
    {
        // On HTTPS the harness calls as the operator: the cluster's CA verifies the member, the operator's certificate is presented.
        RestApiTls = restApiTls;
        Http = restApiTls is null ? PlainHttp : PgHa.Operations.Patroni.PatroniHttp.Create(restApiTls, PlainHttp.Timeout);
        Actions = restApiTls is null ? PlainActions : PgHa.Operations.Patroni.PatroniHttp.Create(restApiTls, PlainActions.Timeout);
        Address = address;
        _environment = environment;
        _tiniPath = tini;
        _patroniPath = patroni;
        Name = name;
        Directory = directory;
        PostgresPort = postgresPort;
        RestPort = restPort;
        _superuserPassword = superuserPassword;
        _log = log;
    }

    public string Name { get; }

    /// <summary>The loopback address its REST API and PostgreSQL listen on (127.0.0.1 unless the cluster has addresses of its own).</summary>
    public string Address { get; }

    public string Directory { get; }
    public int PostgresPort { get; }
    public int RestPort { get; }
    public string DataDirectory => Path.Combine(Directory, "data");
    public string ConfigPath => Path.Combine(Directory, "patroni.yml");

    /// <summary>Patroni's own log.</summary>
    public string LogPath => Path.Combine(Directory, "patroni.log");

    /// <summary>
    /// The member's output: PostgreSQL's server log (it logs to stderr), and what Patroni's children (initdb,
    /// pg_basebackup, pg_rewind) and Patroni itself before reading its configuration print.
    /// </summary>
    public string PostgresLogPath => Path.Combine(Directory, "postgres.log");
    public Uri RestApi => new($"{(RestApiTls is null ? "http" : "https")}://{Address}:{RestPort}");

    /// <summary>The CA and the operator's certificate when the REST API serves HTTPS (<see cref="LoopbackClusterOptions.RestApiTls"/>), else null.</summary>
    public PgHa.Operations.Patroni.PatroniApiCredentials? RestApiTls { get; }

    public bool IsRunning => _tini is { HasExited: false };

    /// <summary>Started and not stopped or crashed on purpose since.</summary>
    public bool ShouldBeRunning { get; private set; }

    /// <summary>Has been started at least once (so it has logs worth showing).</summary>
    public bool WasStarted => _tini is not null;

    /// <summary>Ends a wait at once when this member's Patroni died on its own, with the end of its logs.</summary>
    public void ThrowIfDiedUnexpectedly()
    {
        if (ShouldBeRunning && !IsRunning)
        {
            throw new FatalWaitException($"Patroni member {Name} exited on its own (exit code {_tini!.ExitCode}).{LogTails()}");
        }
    }

    /// <summary>The last lines of this member's Patroni log and of its PostgreSQL log, titled, for a message.</summary>
    public string LogTails(int lines = LogTail.DefaultLines) =>
        LogTail.Section($"{Name}'s Patroni log", LogPath, lines) + LogTail.Section($"{Name}'s PostgreSQL log", PostgresLogPath, lines);

    /// <summary>Superuser connection to this member's PostgreSQL over TLS, no pooling (a killed server leaves no stale connection).</summary>
    public string ConnectionString(string database = "postgres", int timeoutSeconds = 3) => new NpgsqlConnectionStringBuilder
    {
        Host = Address,
        Port = PostgresPort,
        Username = "postgres",
        Password = _superuserPassword,
        Database = database,
        SslMode = SslMode.Require,
        Pooling = false,
        Timeout = timeoutSeconds,
        CommandTimeout = 30,
    }.ConnectionString;

    /// <summary>Test connections (<see cref="ConnectionString"/>) use this superuser password from now on (after a rotation).</summary>
    internal void UseSuperuserPassword(string password) => _superuserPassword = password;

    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        _tini = OsProcess.StartLogged(PostgresLogPath, _tiniPath, ["-s", "--", _patroniPath, ConfigPath], asPostgres: true, workingDirectory: Directory,
            environment: _environment);
        ShouldBeRunning = true;
    }

    /// <summary>The postmaster's PID from postmaster.pid, when it is running.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && OsProcess.IsAlive(pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// A crash: SIGKILL PostgreSQL and Patroni with no chance to hand over. The postmaster dies first so that tini,
    /// still alive, reaps it; a zombie postmaster would make the next start believe it still runs.
    /// </summary>
    public async Task CrashAsync()
    {
        ShouldBeRunning = false;
        if (PostmasterPid is { } postmaster)
        {
            OsProcess.Signal(postmaster, OsProcess.SigKill);
            await WithLogTailsAsync(() => Wait.UntilTrueAsync($"{Name}'s postmaster (pid {postmaster}) to die after SIGKILL", TimeSpan.FromSeconds(15),
                () => Task.FromResult(!OsProcess.IsAlive(postmaster)), _log)).ConfigureAwait(false);
        }

        await KillPatroniAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Freezes (SIGSTOP) or thaws (SIGCONT) this member's Patroni, leaving PostgreSQL running: for as long as
    /// it stays under the ttl, nothing about the cluster changes except that Patroni stops managing this member.
    /// </summary>
    public void SignalPatroni(int signal)
    {
        if (PatroniPid is { } patroni)
        {
            OsProcess.Signal(patroni, signal);
        }
    }

    /// <summary>
    /// Patroni's PID: the child of tini that runs this member's config. (The postmaster is a child of tini too:
    /// Patroni detaches it on purpose, and tini, as subreaper, adopts it.)
    /// </summary>
    public int? PatroniPid => _tini is { HasExited: false }
        ? OsProcess.Children(_tini.Id).Cast<int?>().FirstOrDefault(pid => OsProcess.CommandLine(pid!.Value).Contains(ConfigPath, StringComparison.Ordinal))
        : null;

    /// <summary>A clean stop: SIGTERM to Patroni, which stops PostgreSQL (and releases the leader lock) before it exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        ShouldBeRunning = false;
        if (_tini is null || _tini.HasExited)
        {
            return;
        }

        SignalPatroni(OsProcess.SigTerm);
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await _tini.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _log?.Invoke($"{Name} did not stop within {timeout.TotalSeconds:0}s of SIGTERM; killing it");
            await CrashAsync().ConfigureAwait(false);
        }
    }

    private async Task KillPatroniAsync()
    {
        if (_tini is null || _tini.HasExited)
        {
            return;
        }

        foreach (var child in OsProcess.Children(_tini.Id))
        {
            OsProcess.Signal(child, OsProcess.SigKill);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _tini.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _tini.Kill(entireProcessTree: true);
            await _tini.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>GET on the REST API: status code and body (status 0 when the API does not answer).</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(RestApi, path)).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, e.Message);
        }
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Actions.PostAsync(new Uri(RestApi, path), content).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
    }

    public async Task<(HttpStatusCode Status, string Body)> PatchAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Actions.PatchAsync(new Uri(RestApi, path), content).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
    }

    /// <summary>Stops this member's PostgreSQL (fast shutdown) behind Patroni's back; only sticks while the cluster is paused.</summary>
    public Task StopPostgresAsync(string binDirectory) =>
        OsProcess.RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "stop", "-m", "fast", "-w", "-t", "60"],
            TimeSpan.FromSeconds(90), asPostgres: true, workingDirectory: Directory);

    /// <summary>Runs a bounded wait on this member; when it gives up, its message ends with this member's log tails.</summary>
    private async Task WithLogTailsAsync(Func<Task> wait)
    {
        try
        {
            await wait().ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + LogTails(), e);
        }
    }

    public async Task<NpgsqlConnection> OpenAsync(string database = "postgres", int timeoutSeconds = 3)
    {
        var connection = new NpgsqlConnection(ConnectionString(database, timeoutSeconds));
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    /// <summary>The single value of a query on this member.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public override string ToString() => Name;
}
