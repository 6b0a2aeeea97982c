namespace PgHa.FailoverBench;

/// <summary>What one pod-template change under a writer measured.</summary>
/// <param name="LeaderChanges">Promotions during the change: the leader's timeline after minus before.</param>
/// <param name="TotalWriteGap">The sum of the write gaps (see <see cref="WriteGaps"/>).</param>
/// <param name="LongestWriteGap">The longest interval without an acknowledged commit in the measured window.</param>
/// <param name="AcknowledgedLost">Acknowledged commits missing on the leader after the change.</param>
/// <param name="Duration">From the start of the change until the last member is back.</param>
internal sealed record RolloutResult(int LeaderChanges, TimeSpan TotalWriteGap, TimeSpan LongestWriteGap, int AcknowledgedLost, TimeSpan Duration);
