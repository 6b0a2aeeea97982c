using System.Collections.Concurrent;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// Commits one row at a time to a member until stopped or the connection breaks; an id counts as acknowledged
/// only once its COMMIT returned. What is acknowledged but missing on a new leader is lost data.
/// </summary>
public sealed class CommitWriter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<long> _acknowledged = new();
    private readonly Task _loop;

    private CommitWriter(PatroniMember member, string table, long firstId) =>
        _loop = Task.Run(() => WriteAsync(member, table, firstId));

    public int AcknowledgedCount => _acknowledged.Count;

    public IReadOnlyCollection<long> Acknowledged => _acknowledged.ToArray();

    /// <summary>Starts writing <c>INSERT INTO table (id)</c> with ids from <paramref name="firstId"/> up.</summary>
    public static CommitWriter Start(PatroniMember member, string table, long firstId = 1) => new(member, table, firstId);

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

    private async Task WriteAsync(PatroniMember member, string table, long firstId)
    {
        try
        {
            await using var connection = new NpgsqlConnection(member.ConnectionString());
            await connection.OpenAsync(_stop.Token).ConfigureAwait(false);
            for (var id = firstId; !_stop.IsCancellationRequested; id++)
            {
                await using var command = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ({id})", connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                _acknowledged.Enqueue(id);
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // The member is gone (or the writer was stopped): whatever was not acknowledged does not count.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
