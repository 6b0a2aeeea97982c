using Npgsql;
using PgHa.Core.Verification;

namespace PgHa.Operations.Postgres;

/// <summary>Whether a member is a primary open for writes (after a switchover or failover, before clients are sent to it).</summary>
public static class WriteProbe
{
    /// <summary>
    /// True when assigning a transaction id works (only a primary open for writes can); false while the member is
    /// still read-only (in recovery). A member that cannot be reached throws (Npgsql's exception).
    /// </summary>
    public static async Task<bool> AcceptsWritesAsync(MemberEndpoint endpoint, VerifierCredentials credentials, TimeSpan connectTimeout,
        CancellationToken cancellationToken)
    {
        await using var connection = MemberConnection.Create(endpoint, credentials, connectTimeout: connectTimeout);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id()", connection);
        try
        {
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == "25006") // read_only_sql_transaction
        {
            return false;
        }
    }
}
