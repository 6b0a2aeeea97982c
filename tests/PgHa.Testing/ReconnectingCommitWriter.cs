using System.Collections.Concurrent;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// Commits one row at a time to whichever member accepts writes (a multi-host connection string asking for a
/// read-write session), reconnecting after every break, until stopped: an application that follows the primary through
/// switchovers. An id counts as acknowledged only once its COMMIT returned; what is acknowledged but missing on the
/// final primary is lost data.
/// </summary>
public sealed class ReconnectingCommitWriter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<long> _acknowledged = new();
    private readonly Task _loop;

    private ReconnectingCommitWriter(PatroniCluster cluster, string table) => _loop = Task.Run(() => WriteAsync(cluster, table));

    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>How many times the connection broke (a member stopped, or demoted) and the writer reconnected.</summary>
    public int Reconnects { get; private set; }

    public static ReconnectingCommitWriter Start(PatroniCluster cluster, string table) => new(cluster, table);

    /// <summary>Acknowledged ids the given member does not have.</summary>
    public async Task<long[]> MissingOnAsync(PatroniMember member, string table)
    {
        var present = (await member.ScalarAsync<long[]>($"SELECT coalesce(array_agg(id), '{{}}') FROM {table}").ConfigureAwait(false)).ToHashSet();
        return _acknowledged.Where(id => !present.Contains(id)).Order().ToArray();
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
        };
        var id = 1L;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(_stop.Token).ConfigureAwait(false);
                while (!_stop.IsCancellationRequested)
                {
                    await using var command = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ({id})", connection) { CommandTimeout = 30 };
                    await command.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                    _acknowledged.Enqueue(id);
                    id++;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                // Not acknowledged; it may still have committed, so the next connection goes on with the next id.
                Reconnects++;
                id++;
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
