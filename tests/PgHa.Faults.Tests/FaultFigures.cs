using System.Globalization;
using System.Text;

namespace PgHa.Faults.Tests;

/// <summary>
/// The measurements of one scenario over its rounds (name -> values), summarised as min / median / max. Printed as
/// <c>[figures]</c> lines, and appended as tab-separated lines (scenario, mode, measure, unit, n, min, median, max)
/// to the file named by <see cref="ResultsVariable"/> when it is set: docs/reliability.md is filled from those.
/// </summary>
public sealed class FaultFigures(string scenario, string mode)
{
    public const string ResultsVariable = "PGHA_FAULT_RESULTS";

    private readonly List<(string Measure, string Unit, double Value)> _values = [];

    public string Scenario { get; } = scenario;
    public string Mode { get; } = mode;

    public void Add(string measure, string unit, double value)
    {
        lock (_values)
        {
            _values.Add((measure, unit, value));
        }
    }

    public void AddSeconds(string measure, TimeSpan value) => Add(measure, "s", Math.Round(value.TotalSeconds, 2));

    public IReadOnlyList<(string Measure, string Unit, int Count, double Min, double Median, double Max)> Summary()
    {
        lock (_values)
        {
            return _values.GroupBy(v => (v.Measure, v.Unit))
                .Select(g => (g.Key.Measure, g.Key.Unit, g.Count(), g.Min(v => v.Value), Median(g.Select(v => v.Value)), g.Max(v => v.Value)))
                .ToArray();
        }
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Prints the summary and appends it to the results file when one is named.</summary>
    public void Report(Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = new StringBuilder();
        foreach (var (measure, unit, count, min, median, max) in Summary())
        {
            log(string.Create(CultureInfo.InvariantCulture,
                $"[figures] {Scenario} ({Mode}) | {measure} | min {min:0.##} | median {median:0.##} | max {max:0.##} {unit} | rounds {count}"));
            lines.Append(CultureInfo.InvariantCulture, $"{Scenario}\t{Mode}\t{measure}\t{unit}\t{count}\t{min:0.##}\t{median:0.##}\t{max:0.##}\n");
        }

        if (Environment.GetEnvironmentVariable(ResultsVariable) is { Length: > 0 } file)
        {
            File.AppendAllText(file, lines.ToString());
        }
    }
}
