namespace PgHa.FailoverBench;

/// <summary>The summary statistics the benchmark's tables print.</summary>
internal static class BenchStatistics
{
    /// <summary>The median of values sorted ascending.</summary>
    public static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
