using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PgHa.Testing;

/// <summary>
/// Cuts and heals links between loopback addresses with nftables: one table of its own per cutter,
/// <c>inet pgha_faults_&lt;owner pid&gt;_&lt;owner start time&gt;_&lt;n&gt;</c>, whose only rule drops, on the output
/// hook, packets from a source to a destination address listed as a pair in its set <c>cut</c> (both directions
/// of a link are two pairs). Packets between loopback addresses never leave the machine: the output hook sees each one
/// once, before it is looped back, so dropping there cuts the link both ways without touching anything else.
///
/// Safety: every address is checked (<see cref="LoopbackAddress.Require(IPAddress, string)"/>: IPv4 127.0.0.0/8
/// outside 127.0.0.0/24) before it reaches nft, and the rule itself also requires both ends in 127.0.0.0/8, so not even
/// a wrong set element can drop other traffic. Disposing deletes the table (every cut heals with it); use it with
/// <c>await using</c> so that every exit path, a failed assertion included, heals. A table left by a test process
/// that was killed is removed by the next cutter only when that process is gone (the name carries its pid and start
/// time, checked as <see cref="HarnessMarker.OwnerIsAlive"/> checks the harness's other leftovers); a table of a
/// test process that still runs is left alone, and a <c>pgha_faults_</c> table whose name carries no owner makes
/// the cutter refuse to start.
/// </summary>
public sealed partial class LinkCutter : IAsyncDisposable
{
    public const string TablePrefix = "pgha_faults_";
    private const string SetName = "cut";
    private static int _instances;
    private static readonly HashSet<string> OpenTables = [];
    private static bool _exitHookInstalled;

    private readonly Action<string>? _log;
    private readonly HashSet<(IPAddress From, IPAddress To)> _cuts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private LinkCutter(string table, Action<string>? log)
    {
        Table = table;
        _log = log;
    }

    /// <summary>The nftables table (family inet) this cutter owns.</summary>
    public string Table { get; }

    /// <summary>The directed pairs dropped right now.</summary>
    public IReadOnlyCollection<(IPAddress From, IPAddress To)> Cuts
    {
        get
        {
            lock (_cuts)
            {
                return _cuts.ToArray();
            }
        }
    }

    [GeneratedRegex(@"^pgha_faults_(\d+)_(\d+)_(\d+)$")]
    private static partial Regex OwnedTableName();

    /// <summary>
    /// Removes the tables of dead test processes, refuses to start when a <c>pgha_faults_</c> table names no owner,
    /// then creates this cutter's table (with nothing cut).
    /// </summary>
    public static async Task<LinkCutter> CreateAsync(Action<string>? log = null)
    {
        if (!OsProcess.IsRoot)
        {
            throw new InvalidOperationException("cutting links needs nftables, which needs root (CAP_NET_ADMIN): run the fault tests as root.");
        }

        var marker = HarnessRun.Current.Marker;
        await SweepLeftoversAsync(log).ConfigureAwait(false);
        var table = string.Create(CultureInfo.InvariantCulture,
            $"{TablePrefix}{marker.OwnerPid}_{marker.OwnerStartTime}_{Interlocked.Increment(ref _instances)}");
        var script = $$"""
            table inet {{table}} {
              comment "pgha fault harness: run {{marker.RunId}}, owner {{marker.Owner}}"
              set {{SetName}} {
                type ipv4_addr . ipv4_addr
              }
              chain output {
                type filter hook output priority filter; policy accept;
                ip saddr 127.0.0.0/8 ip daddr 127.0.0.0/8 ip saddr . ip daddr @{{SetName}} counter drop
              }
            }
            """;
        await NftAsync(["-f", "-"], script).ConfigureAwait(false);
        lock (OpenTables)
        {
            OpenTables.Add(table);
            if (!_exitHookInstalled)
            {
                // A test process that ends without disposing (it should not) still removes its tables.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteOpenTablesAtExit();
                _exitHookInstalled = true;
            }
        }

        log?.Invoke($"nft table inet {table} created (nothing cut yet)");
        return new LinkCutter(table, log);
    }

    /// <summary>Cuts the link between <paramref name="a"/> and <paramref name="b"/>, both directions.</summary>
    public Task CutAsync(IPAddress a, IPAddress b) => CutAsync([(a, b)]);

    /// <summary>Cuts <paramref name="who"/> off from each of <paramref name="others"/> (both directions), in one nft transaction.</summary>
    public Task IsolateAsync(IPAddress who, IEnumerable<IPAddress> others) => CutAsync(others.Select(o => (who, o)).ToArray());

    /// <summary>Cuts every given link (both directions of each) in one nft transaction.</summary>
    public async Task CutAsync(IReadOnlyCollection<(IPAddress A, IPAddress B)> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var pairs = new List<(IPAddress From, IPAddress To)>();
        foreach (var (a, b) in links)
        {
            LoopbackAddress.Require(a, "one end of a link to cut");
            LoopbackAddress.Require(b, "one end of a link to cut");
            if (a.Equals(b))
            {
                throw new ArgumentException($"cannot cut {a} from itself", nameof(links));
            }

            pairs.Add((a, b));
            pairs.Add((b, a));
        }

        if (pairs.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var elements = string.Join(", ", pairs.Select(p => $"{p.From} . {p.To}"));
            await NftAsync(["add", "element", "inet", Table, SetName, "{ " + elements + " }"]).ConfigureAwait(false);
            lock (_cuts)
            {
                foreach (var pair in pairs)
                {
                    _cuts.Add(pair);
                }
            }

            _log?.Invoke($"[fault] cut {string.Join(", ", links.Select(l => $"{l.A} <-> {l.B}"))}");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Heals every cut (the table stays, empty) and checks that the set is empty.</summary>
    public async Task HealAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await NftAsync(["flush", "set", "inet", Table, SetName]).ConfigureAwait(false);
            var listing = await NftAsync(["list", "set", "inet", Table, SetName]).ConfigureAwait(false);
            if (listing.Contains("elements", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"nft set {Table} {SetName} still has elements after a flush:{Environment.NewLine}{listing}");
            }

            lock (_cuts)
            {
                _cuts.Clear();
            }

            _log?.Invoke("[fault] healed every cut");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Packets the rule has dropped so far (its counter): proof that a cut met real traffic.</summary>
    public async Task<long> DroppedPacketsAsync()
    {
        var listing = await NftAsync(["list", "chain", "inet", Table, "output"]).ConfigureAwait(false);
        var match = Regex.Match(listing, @"counter packets (\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Deletes the table: every cut heals. Checks that it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await NftAsync(["delete", "table", "inet", Table]).ConfigureAwait(false);
            if ((await ListTablesAsync().ConfigureAwait(false)).Contains(Table))
            {
                throw new InvalidOperationException($"nft table inet {Table} is still there after it was deleted: remove it with 'nft delete table inet {Table}'");
            }

            lock (OpenTables)
            {
                OpenTables.Remove(Table);
            }

            lock (_cuts)
            {
                _cuts.Clear();
            }

            _log?.Invoke($"nft table inet {Table} deleted: every cut healed");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Names of every inet table that looks like a cutter's.</summary>
    public static async Task<IReadOnlyList<string>> ListTablesAsync()
    {
        var listing = await NftAsync(["list", "tables", "inet"]).ConfigureAwait(false);
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Where(w => w.Length == 3 && w[0] == "table" && w[1] == "inet" && w[2].StartsWith(TablePrefix, StringComparison.Ordinal))
            .Select(w => w[2])
            .ToArray();
    }

    /// <summary>
    /// The owner a cutter's table name carries, or null when the name carries none. The run id is not in the
    /// name (nft names are short); the owner pid and start time are what tell a live owner from a dead one.
    /// </summary>
    public static HarnessMarker? OwnerOf(string table)
    {
        var match = OwnedTableName().Match(table);
        return match.Success
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                ? new HarnessMarker(table, pid, start)
                : null;
    }

    /// <summary>Deletes the tables whose owner is gone; throws when a table carries no owner.</summary>
    public static async Task SweepLeftoversAsync(Action<string>? log)
    {
        foreach (var table in await ListTablesAsync().ConfigureAwait(false))
        {
            var owner = OwnerOf(table);
            if (owner is null)
            {
                throw new InvalidOperationException(
                    $"nft table inet {table} is left from an earlier run and names no owner process, so the fault harness cannot tell whether a test " +
                    $"still uses it and refuses to start. Look at it (nft list table inet {table}) and remove it: nft delete table inet {table}");
            }

            if (owner.OwnerIsAlive)
            {
                continue; // this process's own cutters, or a test process running now
            }

            await NftAsync(["delete", "table", "inet", table]).ConfigureAwait(false);
            var message = $"[pgha harness] deleted nft table inet {table}: it cut links for test process {owner.OwnerPid}, which is gone";
            Console.Error.WriteLine(message);
            log?.Invoke(message);
        }
    }

    private static void DeleteOpenTablesAtExit()
    {
        string[] tables;
        lock (OpenTables)
        {
            tables = OpenTables.ToArray();
        }

        foreach (var table in tables)
        {
            try
            {
                NftAsync(["delete", "table", "inet", table]).GetAwaiter().GetResult();
                Console.Error.WriteLine($"[pgha harness] at exit: deleted nft table inet {table} that a test did not dispose");
            }
#pragma warning disable CA1031 // the process is exiting; the next cutter's sweep removes what is left
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"[pgha harness] at exit: could not delete nft table inet {table}: {e.Message}");
            }
        }
    }

    private static async Task<string> NftAsync(IReadOnlyList<string> args, string? input = null)
    {
        var info = new System.Diagnostics.ProcessStartInfo("nft")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("could not start nft");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"nft could not be started ({e.Message}): install the Debian package nftables (scripts/test.sh does).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input ?? string.Empty).ConfigureAwait(false);
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new TimeoutException($"nft {string.Join(' ', args)} did not finish within 30s");
            }

            var output = await stdout.ConfigureAwait(false);
            var error = await stderr.ConfigureAwait(false);
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException(new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"nft {string.Join(' ', args)} failed ({process.ExitCode}): {error.Trim()}")
                    .Append(input is null ? "" : $"{Environment.NewLine}input:{Environment.NewLine}{input}").ToString());
        }
    }
}
