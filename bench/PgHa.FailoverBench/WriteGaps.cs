namespace PgHa.FailoverBench;

/// <summary>
/// The write gaps of a window, from the times commits were acknowledged (the window's ends count as
/// acknowledgements): <see cref="Counted"/> are the intervals between consecutive acknowledgements longer than
/// <see cref="Threshold"/> (each with when it started), <see cref="Total"/> their sum; <see cref="Longest"/> is the
/// longest interval. A writer that commits back to back on loopback is acknowledged every few milliseconds, so an
/// interval longer than the threshold is the database not taking writes.
/// </summary>
internal sealed record WriteGaps(IReadOnlyList<(TimeSpan Start, TimeSpan Length)> Counted, TimeSpan Longest)
{
    /// <summary>Shorter pauses (scheduling on a loaded machine) do not count towards the total.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(500);

    public TimeSpan Total => Counted.Aggregate(TimeSpan.Zero, (sum, gap) => sum + gap.Length);

    public static WriteGaps Measure(IEnumerable<TimeSpan> acknowledged, TimeSpan from, TimeSpan to)
    {
        var times = acknowledged.Where(t => t >= from && t <= to).Order().Prepend(from).Append(to).ToArray();
        var intervals = times.Zip(times.Skip(1), (a, b) => (Start: a, Length: b - a)).ToArray();
        return new WriteGaps(
            intervals.Where(gap => gap.Length > Threshold).ToArray(),
            intervals.Select(gap => gap.Length).DefaultIfEmpty(TimeSpan.Zero).Max());
    }
}
