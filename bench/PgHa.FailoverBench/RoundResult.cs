namespace PgHa.FailoverBench;

/// <summary>What one round measured.</summary>
internal sealed record RoundResult(TimeSpan CrashFailover, TimeSpan Rejoin, TimeSpan Switchover, int AcknowledgedLost);
