namespace PgHa.Faults.Tests;

/// <summary>
/// The frame every scenario runs in: <see cref="FaultRounds.Count"/> rounds on the leased cluster, each writing into a
/// table of its own, under one overall bound (rounds times the scenario's bound for a round, derived from the Patroni
/// timings), then the figures printed and the bound checked.
/// </summary>
public static class ScenarioRounds
{
    public delegate Task Round(string table, ScenarioClock clock, int round);

    public static async Task RunAsync(FaultLease lease, FaultFigures figures, string title, TimeSpan boundPerRound, Action<string> log, Round round)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(round);
        var rounds = FaultRounds.Count;
        var clock = new ScenarioClock(title, rounds * boundPerRound, log);
        for (var number = 1; number <= rounds; number++)
        {
            await round(await lease.Fault.NewTableAsync(lease.Fault.Timings.Converge), clock, number);
        }

        figures.Report(log);
        clock.Finish();
    }

    /// <summary>How the figures name a replication mode.</summary>
    public static string Mode(bool synchronous) => synchronous ? "synchronous" : "asynchronous";
}
