using System.Globalization;
using Npgsql;
using PgHa.Core.Verification;

namespace PgHa.Operations.Postgres;

/// <summary>Observes a member over a TLS connection with Npgsql (built by <see cref="Verification.VerifierFactory"/> only).</summary>
internal sealed class NpgsqlMemberProbe(VerifierCredentials credentials, TimeSpan connectTimeout) : IMemberProbe
{
    // The current timeline: the WAL file name's first 8 hex digits (the control file lags after a promotion).
    private const string StateSql = """
        SELECT pg_is_in_recovery(),
               CASE WHEN pg_is_in_recovery()
                    THEN (SELECT received_tli FROM pg_stat_wal_receiver)
                    ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END
        """;

    private const string ReplicationSql = """
        SELECT application_name, state,
               CASE WHEN replay_lsn IS NULL THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint END,
               EXTRACT(epoch FROM replay_lag)::float8
          FROM pg_stat_replication
         WHERE application_name <> 'pg_basebackup'
        """;

    private const string SlotsSql = "SELECT slot_name::text, active, wal_status FROM pg_replication_slots WHERE slot_type = 'physical'";

    private const string ArchiverSql = """
        SELECT archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal, last_failed_time
          FROM pg_stat_archiver
        """;

    public async Task<MemberObservation> ObserveAsync(MemberEndpoint member, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = MemberConnection.Create(member, credentials, connectTimeout: connectTimeout);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            bool inRecovery;
            int? timeline;
            await using (var state = new NpgsqlCommand(StateSql, connection))
            await using (var reader = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                inRecovery = reader.GetBoolean(0);
                timeline = reader.IsDBNull(1) ? null : reader.GetInt32(1);
            }

            if (inRecovery)
            {
                return new MemberObservation(member.Name, null, true, timeline, [], []);
            }

            var replication = new List<ReplicationRow>();
            await using (var command = new NpgsqlCommand(ReplicationSql, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    replication.Add(new ReplicationRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                        reader.IsDBNull(3) ? null : reader.GetDouble(3)));
                }
            }

            var slots = new List<SlotRow>();
            await using (var command = new NpgsqlCommand(SlotsSql, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    slots.Add(new SlotRow(reader.GetString(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            ArchiverRow archiver;
            await using (var command = new NpgsqlCommand(ArchiverSql, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                archiver = new ArchiverRow(
                    reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), Time(reader, 2),
                    reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4), Time(reader, 5));
            }

            return new MemberObservation(member.Name, null, false, timeline, replication, slots, archiver);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            return MemberObservation.Unreachable(member.Name, Redact(e.Message));
        }
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(column).ToUniversalTime(), TimeSpan.Zero);

    private string Redact(string message) =>
        credentials.Password.Length == 0 ? message : message.Replace(credentials.Password, "***", StringComparison.Ordinal);

}
