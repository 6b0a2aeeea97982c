using System.Globalization;
using System.Text;

namespace PgHa.FailoverBench;

/// <summary>The benchmark's Markdown table: median [min–max] per configuration, and shipped / baseline.</summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<BenchConfiguration> configurations, IReadOnlyDictionary<string, IReadOnlyList<RoundResult>> results, int rounds)
    {
        var shipped = configurations[0].Name;
        var baseline = configurations[^1].Name;
        var metrics = new (string Name, Func<RoundResult, double> Value, string Unit)[]
        {
            ("crash failover (kill -> first write on new leader)", r => r.CrashFailover.TotalSeconds, "s"),
            ("switchover (request -> first write on candidate)", r => r.Switchover.TotalSeconds, "s"),
            ("old leader streams again (restart -> streaming)", r => r.Rejoin.TotalSeconds, "s"),
            ("acknowledged commits lost in the crash", r => r.AcknowledgedLost, ""),
        };

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{rounds} round(s) per configuration; median [min-max].");
        text.AppendLine();
        text.Append("| metric |");
        foreach (var c in configurations)
        {
            var p = c.Settings.Patroni;
            text.Append(CultureInfo.InvariantCulture, $" {c.Name} (ttl {p.Ttl} / loop_wait {p.LoopWait} / retry_timeout {p.RetryTimeout}, sync {p.SynchronousMode.ToString().ToLowerInvariant()}) |");
        }

        text.AppendLine($" {shipped} / {baseline} |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", configurations.Count)) + "---|");
        foreach (var (name, value, unit) in metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} |");
            foreach (var c in configurations)
            {
                var values = results[c.Name].Select(value).Order().ToArray();
                text.Append(CultureInfo.InvariantCulture, $" {BenchStatistics.Median(values):0.0}{unit} [{values[0]:0.0}-{values[^1]:0.0}] |");
            }

            var baselineMedian = BenchStatistics.Median(results[baseline].Select(value).Order().ToArray());
            var ratio = baselineMedian == 0 ? "-" : (BenchStatistics.Median(results[shipped].Select(value).Order().ToArray()) / baselineMedian).ToString("0.00", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $" {ratio} |");
        }

        return text.ToString();
    }
}
