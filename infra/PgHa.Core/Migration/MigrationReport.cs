namespace PgHa.Core.Migration;

/// <summary>What a completed migration recorded in the target (schema pgha_migration; read by PgHa.Operations' MigrationReportReader).</summary>
public sealed record MigrationReport(DateTimeOffset FinishedAt, string Source, int Tables, long Rows, int DurationSeconds);
