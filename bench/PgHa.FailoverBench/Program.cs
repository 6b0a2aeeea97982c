using System.Globalization;
using PgHa.FailoverBench;

// Failover and rollout benchmarks on fresh loopback clusters. Prints Markdown tables; docs/benchmarks.md records runs.
const string Usage = """
    Usage: PgHa.FailoverBench [--rounds N] [--scenario failover|rollout|all]

    Runs on fresh 3-member loopback clusters (real PostgreSQL, Patroni and etcd on 127.0.0.1; run as root, the
    servers then run as the postgres user). Prints a Markdown table per scenario on standard output, progress on
    standard error. docs/benchmarks.md records runs.

    Scenarios:
      failover   for the shipped Patroni timings, the same with synchronous replication, and Patroni's defaults
                 (ttl 30 / loop_wait 10 / retry_timeout 10), N rounds of: crash failover under a continuous writer
                 (acknowledged commits lost are counted), rejoin of the old leader, planned switchover.
      rollout    for the shipped timings, asynchronous and synchronous, N rounds of: with the primary on each member
                 in turn, a pod-template change under a writer that follows the primary, done by this project's
                 rollout (replicas first, one switchover, the old primary last) and by an emulated StatefulSet
                 RollingUpdate (ordinals descending, each pod Ready before the next) as the baseline. Leader
                 changes, total and longest write gap, acknowledged commits lost.
      all        both (the default).

    Options:
      --rounds N     rounds per scenario and configuration, N >= 1 (default 3)
      --scenario S   failover, rollout or all (default all)
      -h, --help     show this text

    Exit codes: 0 done, 2 wrong arguments.
    """;

var rounds = 3;
var scenario = "all";
for (var i = 0; i < args.Length; i++)
{
    var option = args[i];
    if (option is "--help" or "-h" or "-?")
    {
        Console.WriteLine(Usage);
        return 0;
    }

    if (option is not ("--rounds" or "--scenario"))
    {
        Console.Error.WriteLine($"unknown argument '{option}'.");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    var value = i + 1 < args.Length ? args[++i] : null;
    var got = value is null ? "nothing" : $"'{value}'";
    if (option == "--scenario")
    {
        if (value is not ("failover" or "rollout" or "all"))
        {
            Console.Error.WriteLine($"--scenario needs failover, rollout or all; got {got}.");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        scenario = value;
    }
    else if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rounds) || rounds < 1)
    {
        Console.Error.WriteLine($"--rounds needs a whole number >= 1; got {got}.");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

var started = DateTime.UtcNow;
void Log(string message) => Console.Error.WriteLine(message);

if (scenario is "failover" or "all")
{
    BenchConfiguration[] configurations =
    [
        BenchConfiguration.FromConfig("shipped"),
        BenchConfiguration.FromConfig("shipped, synchronous", ("pgha:synchronousMode", "on")),
        BenchConfiguration.FromConfig("Patroni defaults", ("pgha:patroniTtl", "30"), ("pgha:patroniLoopWait", "10"), ("pgha:patroniRetryTimeout", "10")),
    ];

    var results = new Dictionary<string, IReadOnlyList<RoundResult>>();
    foreach (var (configuration, index) in configurations.Select((c, i) => (c, i)))
    {
        Log($"[progress] failover: configuration {index + 1} of {configurations.Length} ({configuration.Name}), {(DateTime.UtcNow - started).TotalMinutes:0.0} min elapsed");
        results[configuration.Name] = await FailoverRounds.RunAsync(configuration, rounds, Log);
    }

    Console.WriteLine(ResultTable.Render(configurations, results, rounds));
}

if (scenario is "rollout" or "all")
{
    BenchConfiguration[] configurations =
    [
        BenchConfiguration.FromConfig("shipped"),
        BenchConfiguration.FromConfig("shipped, synchronous", ("pgha:synchronousMode", "on")),
    ];

    // Per configuration: the primary on each of the 3 members, each with both restart orders.
    var progress = new BenchProgress(configurations.Length * rounds * 3 * Enum.GetValues<RestartOrder>().Length);
    var results = new Dictionary<string, IReadOnlyDictionary<(int, RestartOrder), IReadOnlyList<RolloutResult>>>();
    foreach (var configuration in configurations)
    {
        results[configuration.Name] = await RolloutRounds.RunAsync(configuration, rounds, progress, Log);
    }

    Console.WriteLine(RolloutTable.Render(configurations, results, rounds));
}

return 0;
