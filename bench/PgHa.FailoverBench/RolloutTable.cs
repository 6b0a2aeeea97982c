using System.Globalization;
using System.Text;

namespace PgHa.FailoverBench;

/// <summary>The rollout benchmark's Markdown table: one row per configuration, primary and restart order; median [min-max] over the rounds.</summary>
internal static class RolloutTable
{
    public static string Render(IReadOnlyList<BenchConfiguration> configurations,
        IReadOnlyDictionary<string, IReadOnlyDictionary<(int Primary, RestartOrder Order), IReadOnlyList<RolloutResult>>> results, int rounds)
    {
        var metrics = new (Func<RolloutResult, double> Value, string Format, string Unit)[]
        {
            (r => r.LeaderChanges, "0.#", ""),
            (r => r.TotalWriteGap.TotalSeconds, "0.0", "s"),
            (r => r.LongestWriteGap.TotalSeconds, "0.0", "s"),
            (r => r.AcknowledgedLost, "0.#", ""),
            (r => r.Duration.TotalSeconds, "0", "s"),
        };

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{rounds} round(s) per row; median [min-max]. Write gap: the intervals between acknowledged commits, from the start of the change until {RolloutRounds.Settle} commits after its end; the total counts those longer than {WriteGaps.Threshold.TotalSeconds:0.0}s. Last column: the row's median total write gap over the baseline's (same configuration and primary).");
        text.AppendLine();
        text.AppendLine("| configuration | primary at start | restarts | leader changes | total write gap | longest write gap | acknowledged commits lost | change took | total write gap / baseline |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var configuration in configurations)
        {
            var p = configuration.Settings.Patroni;
            var byRow = results[configuration.Name];
            double MedianGap(int primary, RestartOrder order) =>
                BenchStatistics.Median(byRow[(primary, order)].Select(r => r.TotalWriteGap.TotalSeconds).Order().ToArray());
            foreach (var ((primary, order), runs) in byRow.OrderBy(kv => kv.Key.Primary).ThenBy(kv => kv.Key.Order))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {configuration.Name} (sync {p.SynchronousMode.ToString().ToLowerInvariant()}) | pg-{primary} | {RolloutRounds.Describe(order)} |");
                foreach (var (value, format, unit) in metrics)
                {
                    var values = runs.Select(value).Order().ToArray();
                    text.Append(CultureInfo.InvariantCulture, $" {Format(BenchStatistics.Median(values), format)}{unit} [{Format(values[0], format)}-{Format(values[^1], format)}] |");
                }

                var baseline = byRow.ContainsKey((primary, RestartOrder.RollingUpdate)) ? MedianGap(primary, RestartOrder.RollingUpdate) : 0;
                text.AppendLine(baseline == 0 ? " - |" : $" {Format(MedianGap(primary, order) / baseline, "0.00")} |");
            }
        }

        return text.ToString();
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
