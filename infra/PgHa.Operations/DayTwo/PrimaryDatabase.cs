using Npgsql;

namespace PgHa.Operations.DayTwo;

/// <summary>What the day-2 work asks of, and does on, the primary's PostgreSQL as the superuser.</summary>
/// <param name="connectionString">A superuser connection to the primary (e.g. <see cref="Postgres.MemberConnection.For"/>).</param>
public sealed class PrimaryDatabase(string connectionString)
{
    /// <summary>
    /// Whether the server accepts this connection's password: false when it refuses it (invalid password, 28P01), as for
    /// the superuser while its Secret already holds a rotated password the role does not have yet. Other failures throw.
    /// </summary>
    public async Task<bool> AcceptsPasswordAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return false;
        }
    }

    /// <summary>Members streaming from the primary: application_name -> state and replay lag in bytes.</summary>
    public async Task<IReadOnlyDictionary<string, ReplicationRow>> ReplicationAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT application_name, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new Dictionary<string, ReplicationRow>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            var row = new ReplicationRow(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            // pg_basebackup's walsender has the member's name too while it bootstraps; the streaming one counts.
            if (!rows.TryGetValue(name, out var seen) || seen.State != "streaming")
            {
                rows[name] = row;
            }
        }

        return rows;
    }

    /// <summary>Each role's stored password (pg_authid.rolpassword: a SCRAM verifier, md5 hash or null), by role name.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> StoredPasswordsAsync(IReadOnlyCollection<string> usernames, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = usernames.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var stored = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return stored;
    }

    /// <summary>
    /// <c>ALTER ROLE ... PASSWORD '&lt;verifier&gt;'</c> with statement logging off for the transaction: the server gets
    /// only the verifier, and not even that reaches its log.
    /// </summary>
    public async Task SetVerifierAsync(string username, string verifier, CancellationToken cancellationToken)
    {
        if (!Core.DayTwo.ScramVerifier.IsVerifier(verifier))
        {
            throw new ArgumentException("Only a SCRAM-SHA-256 verifier is ever sent as a password, never a clear password.", nameof(verifier));
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var identifier = "\"" + username.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        foreach (var sql in new[]
        {
            "SET LOCAL log_statement = 'none'",
            "SET LOCAL log_min_duration_statement = -1",
            $"ALTER ROLE {identifier} PASSWORD '{verifier}'",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the physical slot if it exists and no walsender uses it; returns whether one was dropped.</summary>
    /// <exception cref="InvalidOperationException">The slot is still in use.</exception>
    public async Task<bool> DropSlotAsync(string slot, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT active FROM pg_replication_slots WHERE slot_name = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = slot } },
        };
        var active = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (active is null)
        {
            return false;
        }

        if (active is true)
        {
            throw new InvalidOperationException($"the replication slot {slot} is still in use (a walsender streams from it); is its member really gone?");
        }

        await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot($1)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = slot } },
        };
        await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
