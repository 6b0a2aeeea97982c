using System.Diagnostics;
using System.Globalization;

namespace PgHa.FailoverBench;

/// <summary>Counts the measured runs of a benchmark and says how far it is: "run 3 of 12, 4.1 min elapsed, about 12.3 min left".</summary>
internal sealed class BenchProgress(int totalRuns)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;

    public int TotalRuns => totalRuns;

    /// <summary>The line for the run about to start; the time left is estimated from the runs done so far.</summary>
    public string Next(string what)
    {
        var elapsed = _clock.Elapsed.TotalMinutes;
        var left = _done == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", about {elapsed / _done * (totalRuns - _done):0.0} min left");
        return string.Create(CultureInfo.InvariantCulture, $"[progress] run {_done + 1} of {totalRuns} ({what}), {elapsed:0.0} min elapsed{left}");
    }

    public void Done() => _done++;
}
