using Npgsql;
using PgHa.Core.Migration;
using PgHa.Core.Verification;

namespace PgHa.Operations.Postgres;

/// <summary>Reads the report a completed migration wrote into the target (schema pgha_migration).</summary>
public static class MigrationReportReader
{
    /// <summary>The latest report in <paramref name="database"/> on <paramref name="member"/>, or null when no migration completed there.</summary>
    public static async Task<MigrationReport?> ReadAsync(MemberEndpoint member, VerifierCredentials credentials, string database,
        CancellationToken cancellationToken, SslMode sslMode = SslMode.Require)
    {
        await using var connection = sslMode == SslMode.Require
            ? MemberConnection.Create(member, credentials, database)
            : new NpgsqlConnection(MemberConnection.For(member, credentials, database, sslMode: sslMode));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('pgha_migration.report') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return null;
            }
        }

        await using var command = new NpgsqlCommand(
            "SELECT finished_at, source, tables, rows, duration_seconds FROM pgha_migration.report ORDER BY finished_at DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new MigrationReport(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4))
            : null;
    }
}
