using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Many clients at once: pgbench (it ships with PostgreSQL) with several client connections, each running a script
/// that inserts a unique id per transaction: run * 10^7 + client * 10^6 + n, where n counts the client's transactions
/// from 1 (pgbench keeps a client's variables from one transaction to the next). pgbench runs from an address of its
/// own (<see cref="SourceAddressBinding"/>) in short runs against whichever member leads: a client whose connection
/// breaks is aborted by pgbench, so the next run (with the next leader) takes over. Its per-transaction log holds one
/// line per committed transaction: client k's acknowledged ids are n = 1..(its line count), each with its time; its
/// next id is indeterminate. Aborted clients are the failed transactions.
/// </summary>
public sealed partial class PgbenchClients : IAsyncDisposable
{
    private static readonly TimeSpan RunLength = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    private readonly FaultCluster _fault;
    private readonly IPAddress _address;
    private readonly WriteLedger _ledger;
    private readonly int _clients;
    private readonly string _directory;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _runs;
    private int _runsWithoutConnection;
    private int _abortedClients;

    private PgbenchClients(FaultCluster fault, IPAddress address, WriteLedger ledger, int clients, string directory, Action<string> log)
    {
        _fault = fault;
        _address = address;
        _ledger = ledger;
        _clients = clients;
        _directory = directory;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    public int Runs => _runs;

    /// <summary>Runs that could not connect at all (no member accepted connections at that address).</summary>
    public int RunsWithoutConnection => _runsWithoutConnection;

    /// <summary>Clients pgbench aborted: each is one transaction that failed (its outcome unknown to the client).</summary>
    public int AbortedClients => _abortedClients;

    [GeneratedRegex(@"client \d+ (script \d+ )?aborted")]
    private static partial Regex Aborted();

    /// <summary>Starts pgbench runs that insert into <paramref name="table"/> (columns id, client).</summary>
    public static async Task<PgbenchClients> StartAsync(FaultCluster fault, IPAddress address, WriteLedger ledger, int clients, string table, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(fault);
        LoopbackAddress.Require(address, "pgbench's address");
        if (clients is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(clients), clients, "1 to 9 clients (the id keeps one digit for the client)");
        }

        var directory = HarnessRun.Current.CreateDirectory("pgbench-", forPostgres: false);
        await File.WriteAllTextAsync(Path.Combine(directory, "insert.sql"), $"""
            \set n :n + 1
            \set id :run * 10000000 + :client_id * 1000000 + :n
            INSERT INTO {table} (id, client) VALUES (:id, 'pgbench client ' || :client_id);

            """);
        return new PgbenchClients(fault, address, ledger, clients, directory, log);
    }

    private async Task RunAsync()
    {
        var environment = await SourceAddressBinding.EnvironmentAsync(_address);
        var pgbench = Path.Combine(_fault.Cluster.BinDirectory, "pgbench");
        while (!_stop.IsCancellationRequested)
        {
            var status = await _fault.Cluster.GetStatusAsync();
            var leader = status?.Leaders.Count == 1 ? _fault.Member(status.Leaders[0].Name) : null;
            if (leader is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                continue;
            }

            var run = Interlocked.Increment(ref _runs);
            await RunOnceAsync(pgbench, environment, leader, run);
        }
    }

    private async Task RunOnceAsync(string pgbench, IReadOnlyDictionary<string, string> environment, PatroniMember target, int run)
    {
        var prefix = Path.Combine(_directory, $"run{run}");
        var info = new ProcessStartInfo(pgbench)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
        {
            "-h", target.Address, "-p", target.PostgresPort.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-n",
            "-c", _clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", RunLength.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "-f", Path.Combine(_directory, "insert.sql"), "-D", "n=0", "-D", $"run={run}", "--log", $"--log-prefix={prefix}", "postgres",
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["PGPASSWORD"] = _fault.Cluster.SuperuserPassword;
        info.Environment["PGSSLMODE"] = "require";
        info.Environment["PGCONNECT_TIMEOUT"] = "2";
        HarnessRun.Current.Marker.ApplyTo(info);

        var started = _ledger.Now;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pgbench");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var bound = new CancellationTokenSource(RunBound))
        {
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"pgbench run {run} against {target} did not end within {RunBound.TotalSeconds:0}s (its log may be incomplete)");
            }
        }

        var output = await stdout + await stderr;
        var aborted = Aborted().Matches(output).Count;
        Interlocked.Add(ref _abortedClients, aborted);
        var counts = new int[_clients];
        foreach (var file in Directory.EnumerateFiles(_directory, $"run{run}.*"))
        {
            foreach (var line in await File.ReadAllLinesAsync(file))
            {
                // client_id transaction_no time script_no time_epoch time_us
                var fields = line.Split(' ');
                if (fields.Length < 6 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }

                var client = int.Parse(fields[0], CultureInfo.InvariantCulture);
                var n = ++counts[client];
                var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(fields[4], CultureInfo.InvariantCulture))
                    .AddTicks(long.Parse(fields[5], CultureInfo.InvariantCulture) * 10);
                var answered = _ledger.At(at);
                _ledger.Record(new WriteRecord(Id(run, client, n), $"pgbench client {client}@{_address}", target.Name, started, answered, WriteOutcome.Acknowledged));
            }
        }

        for (var client = 0; client < _clients; client++)
        {
            // The transaction after the last logged one may have committed without its answer arriving.
            _ledger.Record(new WriteRecord(Id(run, client, counts[client] + 1), $"pgbench client {client}@{_address}", target.Name, started, _ledger.Now,
                WriteOutcome.Indeterminate));
        }

        if (counts.Sum() == 0 && aborted == 0)
        {
            Interlocked.Increment(ref _runsWithoutConnection);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        if (aborted > 0 || (process.ExitCode != 0 && counts.Sum() > 0))
        {
            var first = output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal))?.Trim();
            _log($"pgbench run {run} on {target}: {counts.Sum()} transactions committed, {aborted} client(s) aborted, exit {process.ExitCode}: {first}");
        }
    }

    private static long Id(int run, int client, int n) => (run * 10_000_000L) + (client * 1_000_000L) + n;

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
