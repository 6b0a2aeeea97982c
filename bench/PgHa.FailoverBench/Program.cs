using System.Globalization;
using PgHa.FailoverBench;

// Failover benchmark: the shipped Patroni timings against Patroni's defaults (ttl 30 / loop_wait 10 /
// retry_timeout 10) on fresh loopback clusters. Prints a Markdown table; docs/benchmarks.md records one run.
const string Usage = """
    Usage: PgHa.FailoverBench [--rounds N]

    Failover benchmark: for the shipped Patroni timings, the same with synchronous replication, and Patroni's
    defaults, a fresh 3-member loopback cluster (real PostgreSQL, Patroni and etcd on 127.0.0.1; run as root,
    the servers then run as the postgres user) and N rounds of: crash failover under a continuous writer
    (acknowledged commits lost are counted), rejoin of the old leader, planned switchover. Prints a Markdown
    table on standard output, progress on standard error. docs/benchmarks.md records a run.

    Options:
      --rounds N   rounds per scenario and configuration, N >= 1 (default 3)
      -h, --help   show this text

    Exit codes: 0 done, 2 wrong arguments.
    """;

var rounds = 3;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--help" or "-h" or "-?")
    {
        Console.WriteLine(Usage);
        return 0;
    }

    if (args[i] != "--rounds")
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'.");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    var value = i + 1 < args.Length ? args[++i] : null;
    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rounds) || rounds < 1)
    {
        Console.Error.WriteLine($"--rounds needs a whole number >= 1; got {(value is null ? "nothing" : $"'{value}'")}.");
        Console.Error.WriteLine(Usage);
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
