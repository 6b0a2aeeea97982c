using System.Diagnostics;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// A run killed from outside leaves its processes and directory behind; the next run finds them by their marker,
/// stops them (SIGTERM, then SIGKILL for what ignores it) and deletes the directory, but never touches a run whose
/// owner still lives.
/// </summary>
public sealed class LeftoverSweepTests(ITestOutputHelper output)
{
    /// <summary>A marker whose owner is gone: the PID and start time of a process that ran and was reaped.</summary>
    private static async Task<HarnessMarker> DeadOwnerMarkerAsync(string runId)
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var start = OsProcess.StartTime(owner.Id) ?? throw new InvalidOperationException("the stand-in owner vanished");
        owner.Kill();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await owner.WaitForExitAsync(cts.Token);
        Assert.False(OsProcess.IsAlive(owner.Id));
        return new HarnessMarker(runId, owner.Id, start);
    }

    private static Process StartMarked(string directory, string name, string script, HarnessMarker marker) =>
        OsProcess.StartLogged(Path.Combine(directory, $"{name}.log"), "/bin/sh", ["-c", script], asPostgres: true, directory, marker);

    [Fact]
    public async Task Processes_and_directories_of_a_dead_run_are_stopped_and_deleted_and_a_live_run_is_left_alone()
    {
        var run = HarnessRun.Start(output.WriteLine);
        var root = run.CreateDirectory("sweep-root-", forPostgres: true);
        var deadRun = $"killed-{Guid.NewGuid():N}";
        var liveRun = $"concurrent-{Guid.NewGuid():N}";
        var dead = await DeadOwnerMarkerAsync(deadRun);
        // A concurrently running harness: another run id, its owner (this very process) alive.
        var live = HarnessMarker.ForThisProcess(liveRun);
        Assert.True(live.OwnerIsAlive);

        var started = new List<Process>();
        try
        {
            // As a killed run leaves them: one that stops on SIGTERM, one process group that ignores it (the shell
            // and the sleeps it keeps starting), and one of the live run.
            var polite = StartMarked(root, "polite", "exec sleep 600", dead);
            var stubborn = StartMarked(root, "stubborn", "trap '' TERM; while :; do sleep 1; done", dead);
            var concurrent = StartMarked(root, "concurrent", "exec sleep 600", live);
            started.AddRange([polite, stubborn, concurrent]);
            await Wait.UntilTrueAsync("the stand-in processes to carry their markers", TimeSpan.FromSeconds(10), () => Task.FromResult(
                started.All(p => HarnessMarker.FromEnvironment(OsProcess.EnvironmentOf(p.Id)) is not null)), output.WriteLine);
            Assert.Equal(stubborn.Id, OsProcess.ProcessGroup(stubborn.Id));

            // Their directories, as runs leave them.
            var deadDirectory = RunDirectory(root, dead);
            var liveDirectory = RunDirectory(root, live);
            var keptRun = await DeadOwnerMarkerAsync($"kept-{Guid.NewGuid():N}");
            var keptDirectory = RunDirectory(root, keptRun);
            await File.WriteAllTextAsync(Path.Combine(keptDirectory, HarnessRun.KeptFile), "kept");

            var leftovers = LeftoverSweep.FindLeftovers(run.Id).Where(p => p.Marker.RunId == deadRun).Select(p => p.Pid).ToArray();
            Assert.Contains(polite.Id, leftovers);
            Assert.Contains(stubborn.Id, leftovers);
            Assert.DoesNotContain(LeftoverSweep.FindLeftovers(run.Id), p => p.Marker.RunId == liveRun || p.Marker.RunId == run.Id);

            var report = new List<string>();
            LeftoverSweep.Run(root, run.Id, line =>
            {
                output.WriteLine(line);
                report.Add(line);
            });

            Assert.False(OsProcess.IsAlive(polite.Id), "the leftover that stops on SIGTERM still runs");
            Assert.False(OsProcess.IsAlive(stubborn.Id), "the leftover that ignores SIGTERM still runs");
            Assert.DoesNotContain(LeftoverSweep.Find(p => p.Marker.RunId == deadRun), _ => true);
            Assert.True(OsProcess.IsAlive(concurrent.Id), "a process of a live run was stopped");

            Assert.Contains(report, l => l.StartsWith($"stopping pid {polite.Id} ", StringComparison.Ordinal) && l.Contains(deadRun, StringComparison.Ordinal));
            Assert.Contains(report, l => l.StartsWith($"stopping pid {stubborn.Id} ", StringComparison.Ordinal));
            Assert.Contains(report, l => l.Contains("sending SIGKILL", StringComparison.Ordinal) && l.Contains(stubborn.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            Assert.DoesNotContain(report, l => l.Contains(concurrent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

            Assert.False(Directory.Exists(deadDirectory), "the dead run's directory is still there");
            Assert.Contains(report, l => l == $"deleted {deadDirectory}, left by run {deadRun} (owner pid {dead.OwnerPid} is gone)");
            Assert.True(Directory.Exists(liveDirectory), "the live run's directory was deleted");
            Assert.True(Directory.Exists(keptDirectory), "a directory kept on purpose was deleted");
        }
        finally
        {
            foreach (var process in started)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static string RunDirectory(string root, HarnessMarker marker)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, marker.RunId)).FullName;
        File.WriteAllText(Path.Combine(directory, HarnessRun.OwnerFile), marker.Owner);
        File.WriteAllText(Path.Combine(directory, "postgres.log"), "what a member wrote");
        return directory;
    }
}
