using System.Diagnostics;
using System.Globalization;

namespace PgHa.Faults.Tests;

/// <summary>
/// A scenario's overall time bound (derived from the Patroni timings by the test) and its progress lines: each phase
/// is printed with the time since the scenario started, so a run that stalls shows where.
/// </summary>
public sealed class ScenarioClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Action<string> _log;

    public ScenarioClock(string name, TimeSpan bound, Action<string> log)
    {
        Name = name;
        Bound = bound;
        _log = log;
        Phase($"start; bound {bound.TotalSeconds:0}s");
    }

    public string Name { get; }
    public TimeSpan Bound { get; }
    public TimeSpan Elapsed => _clock.Elapsed;

    public void Phase(string what) =>
        _log(string.Create(CultureInfo.InvariantCulture, $"[progress] {Name} at {_clock.Elapsed.TotalSeconds:0.0}s: {what}"));

    /// <summary>Fails the test when the scenario took longer than its bound.</summary>
    public void Finish()
    {
        Phase("done");
        Assert.True(_clock.Elapsed <= Bound,
            $"{Name} took {_clock.Elapsed.TotalSeconds:0}s, more than its bound of {Bound.TotalSeconds:0}s (derived from the Patroni timings)");
    }
}
