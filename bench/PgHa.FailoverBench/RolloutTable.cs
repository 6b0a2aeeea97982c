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
            $"{rounds} round(s) per row; median [min-max]. Write gap: the intervals between acknowledged commits, from the start of the change until {RolloutRounds.Settle} commits after its end; the total counts those longer than {WriteGaps.Threshold.TotalSeconds:0.0}s.");
        text.AppendLine();
        text.AppendLine("| configuration | primary at start | restarts | leader changes | total write gap | longest write gap | acknowledged commits lost | change took |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var configuration in configurations)
        {
            var p = configuration.Settings.Patroni;
            foreach (var ((primary, order), runs) in results[configuration.Name].OrderBy(kv => kv.Key.Primary).ThenBy(kv => kv.Key.Order))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {configuration.Name} (sync {p.SynchronousMode.ToString().ToLowerInvariant()}) | pg-{primary} | {RolloutRounds.Describe(order)} |");
                foreach (var (value, format, unit) in metrics)
                {
                    var values = runs.Select(value).Order().ToArray();
                    text.Append(CultureInfo.InvariantCulture, $" {Format(Median(values), format)}{unit} [{Format(values[0], format)}-{Format(values[^1], format)}] |");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
