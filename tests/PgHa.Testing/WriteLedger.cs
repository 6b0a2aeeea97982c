using System.Collections.Concurrent;
using System.Diagnostics;

namespace PgHa.Testing;

/// <summary>
/// Every write every client of one scenario sent, with one clock for all of them and for the scenario's events
/// (<see cref="Mark"/>: "cut", "healed", ...), so a lost write can be placed relative to the fault. Ids are unique
/// across the ledger's clients.
/// </summary>
public sealed class WriteLedger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly ConcurrentQueue<WriteRecord> _records = new();
    private readonly ConcurrentQueue<(string Event, TimeSpan At)> _marks = new();
    private long _nextId;

    /// <summary>Time since the ledger started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>A wall-clock time (e.g. from another process's log) on the ledger's clock.</summary>
    public TimeSpan At(DateTimeOffset time) => time - _started;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Record(WriteRecord record) => _records.Enqueue(record);

    public IReadOnlyList<WriteRecord> Records => _records.OrderBy(r => r.Id).ToArray();

    public IReadOnlyList<WriteRecord> Acknowledged => Records.Where(r => r.IsAcknowledged).ToArray();

    /// <summary>Notes that <paramref name="what"/> happened now; returns when.</summary>
    public TimeSpan Mark(string what)
    {
        var at = Now;
        _marks.Enqueue((what, at));
        return at;
    }

    public IReadOnlyList<(string Event, TimeSpan At)> Marks => _marks.OrderBy(m => m.At).ToArray();

    /// <summary>When <paramref name="what"/> was last marked.</summary>
    public TimeSpan MarkOf(string what) =>
        _marks.Where(m => m.Event == what).Select(m => (TimeSpan?)m.At).LastOrDefault() ?? throw new InvalidOperationException($"'{what}' was never marked");

    /// <summary>The last acknowledgement by <paramref name="member"/> (after <paramref name="after"/> when given), or null.</summary>
    public WriteRecord? LastAcknowledgedBy(string member, TimeSpan? after = null) =>
        Acknowledged.Where(r => r.Member == member && r.Answered >= (after ?? TimeSpan.Zero)).MaxBy(r => r.Answered);

    /// <summary>The first acknowledgement by any of <paramref name="members"/> after <paramref name="after"/>, or null.</summary>
    public WriteRecord? FirstAcknowledgedBy(IEnumerable<string> members, TimeSpan after)
    {
        var names = members.ToHashSet();
        return Acknowledged.Where(r => names.Contains(r.Member) && r.Answered >= after).MinBy(r => r.Answered);
    }

    /// <summary>
    /// The first acknowledgement by any of <paramref name="members"/> of a write sent after <paramref name="after"/>, or
    /// null: unlike <see cref="FirstAcknowledgedBy"/>, an answer to a write already under way does not count.
    /// </summary>
    public WriteRecord? FirstAcknowledgedSentAfter(IEnumerable<string> members, TimeSpan after)
    {
        var names = members.ToHashSet();
        return Acknowledged.Where(r => names.Contains(r.Member) && r.Sent >= after).MinBy(r => r.Answered);
    }

    /// <summary>The longest time between two consecutive acknowledgements (by answer time) within [from, to].</summary>
    public TimeSpan LongestGap(TimeSpan from, TimeSpan to)
    {
        var times = Acknowledged.Select(r => r.Answered).Where(t => t >= from && t <= to).Order().Prepend(from).Append(to).ToArray();
        return times.Zip(times.Skip(1), (a, b) => b - a).DefaultIfEmpty(to - from).Max();
    }
}
