namespace PgHa.Core.Patroni;

/// <summary>The <c>postgresql</c> part of the dynamic configuration: pg_rewind, replication slots, shared parameters.</summary>
public sealed record PatroniDynamicPostgresql(bool UsePgRewind, bool UseSlots, PostgresParameters Parameters);
