namespace PgHa.Operations.DayTwo;

/// <summary>One member in the primary's pg_stat_replication: its walsender's state and how far its replay is behind, in bytes.</summary>
public sealed record ReplicationRow(string State, long? LagBytes);
