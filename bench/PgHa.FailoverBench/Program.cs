using System.Globalization;
using PgHa.FailoverBench;

// Failover benchmark: the shipped Patroni timings against Patroni's defaults (ttl 30 / loop_wait 10 /
// retry_timeout 10) on fresh loopback clusters. Prints a Markdown table; docs/benchmarks.md records one run.
var rounds = 3;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r > 0)
    {
        rounds = r;
    }
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: PgHa.FailoverBench [--rounds N] (N >= 1, default 3)");
        return 2;
    }
}

BenchConfiguration[] configurations =
[
    BenchConfiguration.FromConfig("shipped"),
    BenchConfiguration.FromConfig("shipped, synchronous", ("pgha:synchronousMode", "on")),
    BenchConfiguration.FromConfig("Patroni defaults", ("pgha:patroniTtl", "30"), ("pgha:patroniLoopWait", "10"), ("pgha:patroniRetryTimeout", "10")),
];

var results = new Dictionary<string, IReadOnlyList<RoundResult>>();
var started = DateTime.UtcNow;
foreach (var (configuration, index) in configurations.Select((c, i) => (c, i)))
{
    Console.Error.WriteLine($"[progress] configuration {index + 1} of {configurations.Length} ({configuration.Name}), {(DateTime.UtcNow - started).TotalMinutes:0.0} min elapsed");
    results[configuration.Name] = await FailoverRounds.RunAsync(configuration, rounds, message => Console.Error.WriteLine(message));
}

Console.WriteLine(ResultTable.Render(configurations, results, rounds));
return 0;
