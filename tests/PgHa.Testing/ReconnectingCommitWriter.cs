using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// Commits one row at a time to whichever member accepts writes (a multi-host connection string asking for a
/// read-write session), reconnecting after every break, until stopped: an application that follows the primary through
/// switchovers. An id counts as acknowledged only once its COMMIT returned; what is acknowledged but missing on the
/// final primary is lost data. Every write is recorded in <see cref="Ledger"/> (which member answered, when it was
/// sent and answered), so the gaps between acknowledgements can be measured too.
/// </summary>
public sealed class ReconnectingCommitWriter : IAsyncDisposable
{
    private const string Client = "reconnecting-writer";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _acknowledged;

    private ReconnectingCommitWriter(PatroniCluster cluster, string table)
    {
        Ledger = new WriteLedger();
        _loop = Task.Run(() => WriteAsync(cluster, table));
    }

    public int AcknowledgedCount => Volatile.Read(ref _acknowledged);

    /// <summary>How many times the connection broke (a member stopped, or demoted) and the writer reconnected.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Every write sent, on the writer's clock (started with the writer).</summary>
    public WriteLedger Ledger { get; }

    public static ReconnectingCommitWriter Start(PatroniCluster cluster, string table) => new(cluster, table);

    /// <summary>Acknowledged ids the given member does not have.</summary>
    public async Task<long[]> MissingOnAsync(PatroniMember member, string table)
    {
        var present = (await member.ScalarAsync<long[]>($"SELECT coalesce(array_agg(id), '{{}}') FROM {table}").ConfigureAwait(false)).ToHashSet();
        return Ledger.Acknowledged.Select(r => r.Id).Where(id => !present.Contains(id)).Order().ToArray();
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task WriteAsync(PatroniCluster cluster, string table)
    {
        var builder = new NpgsqlConnectionStringBuilder(cluster.Members[0].ConnectionString(timeoutSeconds: 2))
        {
            Host = string.Join(",", cluster.Members.Select(m => $"127.0.0.1:{m.PostgresPort}")),
            TargetSessionAttributes = "read-write",
            // Asks every member afresh on each reconnect: with Npgsql's default (a member's role cached for 10 s) the
            // writer would skip the new primary for up to 10 s after a switchover, a gap of the client, not the cluster.
            HostRecheckSeconds = 0,
        };
        while (!_stop.IsCancellationRequested)
        {
            // Not acknowledged when it fails: it may still have committed, so every attempt takes a new id.
            long? pending = null;
            var sent = TimeSpan.Zero;
            var member = "none";
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(_stop.Token).ConfigureAwait(false);
                member = cluster.Members.FirstOrDefault(m => m.PostgresPort == connection.Port)?.Name ?? $"port {connection.Port}";
                while (!_stop.IsCancellationRequested)
                {
                    var id = Ledger.NextId();
                    pending = id;
                    sent = Ledger.Now;
                    await using var command = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ({id})", connection) { CommandTimeout = 30 };
                    await command.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                    Ledger.Record(new WriteRecord(id, Client, member, sent, Ledger.Now, WriteOutcome.Acknowledged));
                    pending = null;
                    Interlocked.Increment(ref _acknowledged);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                RecordIndeterminate(pending, member, sent, "stopped");
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                RecordIndeterminate(pending, member, sent, e.Message);
                Reconnects++;
                try
                {
                    await Task.Delay(100, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void RecordIndeterminate(long? id, string member, TimeSpan sent, string error)
    {
        if (id is { } pending)
        {
            Ledger.Record(new WriteRecord(pending, Client, member, sent, Ledger.Now, WriteOutcome.Indeterminate, error));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
