using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// A client on a loopback address of its own (through a <see cref="ClientRelay"/> per target member) that inserts
/// one unique id per transaction, one at a time, and records in a <see cref="WriteLedger"/> every write it sent: an
/// id counts as acknowledged only once its COMMIT returned success; an error or a broken connection leaves it
/// indeterminate. It never cancels a statement (a cancelled wait for a synchronous standby returns success for a
/// commit that is only local: see docs/reliability.md) and has no statement timeout: a commit may wait as long as
/// the database makes it wait. When its connection breaks it reconnects, to the next of its targets when it has
/// several (a client that follows the primary by trying each member), else to the same member.
/// </summary>
public sealed class AcknowledgingWriter : IAsyncDisposable
{
    /// <summary>How long <see cref="StopAsync"/> lets a pending write finish before it breaks the connection.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<(PatroniMember Member, ClientRelay Relay)> _targets;
    private readonly WriteLedger _ledger;
    private readonly string _table;
    private readonly TimeSpan _pace;
    private readonly Action<string>? _log;
    private readonly Task _loop;
    private readonly HashSet<string> _errorsSeen = [];
    private volatile bool _stopping;
    private int _failedConnects;

    private AcknowledgingWriter(string name, IPAddress address, IReadOnlyList<(PatroniMember, ClientRelay)> targets, WriteLedger ledger, string table,
        TimeSpan pace, Action<string>? log)
    {
        Name = name;
        Address = address;
        _targets = targets;
        _ledger = ledger;
        _table = table;
        _pace = pace;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The client's name in the ledger, with its address.</summary>
    public string Name { get; }

    public IPAddress Address { get; }

    /// <summary>Connection attempts that failed (the member down, unreachable, or not accepting connections).</summary>
    public int FailedConnects => _failedConnects;

    /// <summary>
    /// Starts writing to <paramref name="targets"/> (in turn when there are several) from <paramref name="address"/>,
    /// one INSERT of a new id into <paramref name="table"/> (columns id, client) every <paramref name="pace"/>.
    /// </summary>
    public static AcknowledgingWriter Start(string name, IPAddress address, IReadOnlyList<PatroniMember> targets, WriteLedger ledger, string table,
        TimeSpan pace, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        LoopbackAddress.Require(address, $"client {name}'s address");
        if (targets.Count == 0)
        {
            throw new ArgumentException("a writer needs at least one member to write to", nameof(targets));
        }

        var relays = targets.Select(m => (m, ClientRelay.Start(address, new IPEndPoint(IPAddress.Parse(m.Address), m.PostgresPort)))).ToArray();
        return new AcknowledgingWriter($"{name}@{address}", address, relays, ledger, table, pace, log);
    }

    private async Task RunAsync()
    {
        for (var attempt = 0; !_stopping; attempt++)
        {
            var (member, relay) = _targets[attempt % _targets.Count];
            var builder = new NpgsqlConnectionStringBuilder(member.ConnectionString(timeoutSeconds: 2))
            {
                Host = "127.0.0.1",
                Port = relay.Port,
                CommandTimeout = 0,
            };
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                try
                {
                    await connection.OpenAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (IsConnectionFailure(e))
                {
                    Interlocked.Increment(ref _failedConnects);
                    Report(member, e);
                    await Task.Delay(RetryDelay).ConfigureAwait(false);
                    continue;
                }

                while (!_stopping)
                {
                    var id = _ledger.NextId();
                    var sent = _ledger.Now;
                    try
                    {
                        await using var command = new NpgsqlCommand($"INSERT INTO {_table} (id, client) VALUES ({id}, '{Name}')", connection) { CommandTimeout = 0 };
                        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                        _ledger.Record(new WriteRecord(id, Name, member.Name, sent, _ledger.Now, WriteOutcome.Acknowledged));
                    }
                    catch (Exception e) when (IsConnectionFailure(e))
                    {
                        _ledger.Record(new WriteRecord(id, Name, member.Name, sent, _ledger.Now, WriteOutcome.Indeterminate, e.Message));
                        Report(member, e);
                        break;
                    }

                    if (_pace > TimeSpan.Zero)
                    {
                        await Task.Delay(_pace).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (!_stopping)
            {
                await Task.Delay(RetryDelay).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Says once per kind of error what went wrong (a writer that never gets through must say why).</summary>
    private void Report(PatroniMember member, Exception e)
    {
        var kind = $"{member.Name}: {e.GetType().Name}: {e.Message}";
        lock (_errorsSeen)
        {
            if (_errorsSeen.Count >= 20 || !_errorsSeen.Add(kind))
            {
                return;
            }
        }

        try
        {
            _log?.Invoke($"{Name} at {_ledger.Now.TotalSeconds:0.000}s: {kind}");
        }
        catch (InvalidOperationException)
        {
            // The test that owned the output has ended.
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is NpgsqlException or IOException or SocketException or TimeoutException or InvalidOperationException or ObjectDisposedException;

    /// <summary>
    /// Stops: no new write starts; a pending one gets <see cref="StopGrace"/> to finish, then every connection is
    /// broken (so it ends as indeterminate, never cancelled).
    /// </summary>
    public async Task StopAsync()
    {
        _stopping = true;
        if (await Task.WhenAny(_loop, Task.Delay(StopGrace)).ConfigureAwait(false) != _loop)
        {
            _log?.Invoke($"{Name}: a write is still pending after {StopGrace.TotalSeconds:0}s; breaking its connection");
            foreach (var (_, relay) in _targets)
            {
                relay.AbortAll();
            }
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _loop.WaitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"writer {Name} did not stop within 30s of its connections being broken");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            foreach (var (_, relay) in _targets)
            {
                await relay.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
