namespace PgHa.Testing;

/// <summary>
/// Finds and stops what earlier runs of the harness left behind (a test run killed from outside leaves its members
/// running): processes whose <see cref="HarnessMarker"/> names another run whose owner process is gone, and those
/// runs' directories. A run whose owner still lives (a harness running concurrently) is never touched.
/// </summary>
public static class LeftoverSweep
{
    /// <summary>How long stopped processes get between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(10);

    /// <summary>How long a SIGKILLed process may take to disappear before the sweep reports it as surviving.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The whole sweep: stops the leftover processes of dead runs other than <paramref name="currentRunId"/>, then
    /// deletes those runs' directories under <paramref name="root"/>. Says what it did through <paramref name="report"/>.
    /// Returns the processes it found.
    /// </summary>
    public static IReadOnlyList<MarkedProcess> Run(string root, string currentRunId, Action<string> report)
    {
        var leftovers = FindLeftovers(currentRunId);
        if (leftovers.Count > 0)
        {
            report($"found {leftovers.Count} process(es) left by earlier harness runs whose owner is gone; stopping them before starting anything");
            Stop(leftovers, TermGrace, report);
        }

        RemoveDirectories(root, currentRunId, report);
        return leftovers;
    }

    /// <summary>Marked processes of runs other than <paramref name="currentRunId"/> whose owner process is gone.</summary>
    public static IReadOnlyList<MarkedProcess> FindLeftovers(string currentRunId) =>
        Find(p => p.Marker.RunId != currentRunId && !p.Marker.OwnerIsAlive);

    /// <summary>Every live process (not this one, not a zombie) that carries a harness marker and matches <paramref name="which"/>.</summary>
    public static IReadOnlyList<MarkedProcess> Find(Func<MarkedProcess, bool> which)
    {
        var self = Environment.ProcessId;
        var found = new List<MarkedProcess>();
        foreach (var pid in OsProcess.All())
        {
            if (pid == self || !OsProcess.IsAlive(pid))
            {
                continue;
            }

            if (HarnessMarker.FromEnvironment(OsProcess.EnvironmentOf(pid)) is { } marker)
            {
                var process = new MarkedProcess(pid, OsProcess.ProcessGroup(pid), marker, OsProcess.CommandLine(pid));
                if (which(process))
                {
                    found.Add(process);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// SIGTERM to each process and to each process group it leads, then SIGKILL to whatever still lives after
    /// <paramref name="termGrace"/>. Never signals this process, its ancestors, or the group this process is in.
    /// Returns the processes still alive at the end (none, normally).
    /// </summary>
    public static IReadOnlyList<MarkedProcess> Stop(IReadOnlyList<MarkedProcess> processes, TimeSpan termGrace, Action<string> report)
    {
        var protectedPids = Ancestry(Environment.ProcessId);
        var ownGroup = OsProcess.ProcessGroup(Environment.ProcessId);
        var targets = processes.Where(p => !protectedPids.Contains(p.Pid)).ToArray();
        // A group is signalled whole only when its leader is one of the targets, so an unmarked group is never hit.
        var groups = targets.Select(p => p.ProcessGroup)
            .OfType<int>()
            .Where(g => g > 1 && g != ownGroup && !protectedPids.Contains(g) && targets.Any(t => t.Pid == g))
            .Distinct()
            .ToArray();

        foreach (var process in targets)
        {
            report($"stopping {process}, owner pid {process.Marker.OwnerPid}");
        }

        Signal(targets, groups, OsProcess.SigTerm);
        var alive = WaitGone(targets, termGrace);
        if (alive.Count > 0)
        {
            report($"{alive.Count} leftover process(es) ignored SIGTERM for {termGrace.TotalSeconds:0}s; sending SIGKILL: {string.Join(", ", alive.Select(p => p.Pid))}");
            Signal(alive, groups, OsProcess.SigKill);
            alive = WaitGone(alive, KillGrace);
        }

        foreach (var survivor in alive)
        {
            report($"could not stop leftover {survivor}: still alive {KillGrace.TotalSeconds:0}s after SIGKILL (another user's process? run as root)");
        }

        var stopped = targets.Length - alive.Count;
        if (stopped > 0)
        {
            report($"stopped {stopped} leftover process(es)");
        }

        return alive;
    }

    /// <summary>Deletes the directories under <paramref name="root"/> of runs other than the current one whose owner is gone (unless kept on purpose).</summary>
    public static IReadOnlyList<string> RemoveDirectories(string root, string currentRunId, Action<string> report)
    {
        var removed = new List<string>();
        if (!Directory.Exists(root))
        {
            return removed;
        }

        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            var runId = Path.GetFileName(directory);
            var ownerFile = Path.Combine(directory, HarnessRun.OwnerFile);
            if (runId == currentRunId || !File.Exists(ownerFile))
            {
                continue;
            }

            var marker = HarnessMarker.Parse(runId, File.ReadAllText(ownerFile));
            if (marker is null || marker.OwnerIsAlive)
            {
                continue;
            }

            if (File.Exists(Path.Combine(directory, HarnessRun.KeptFile)))
            {
                report($"left {directory} alone: its run kept it ({HarnessRun.KeepVariable}=1); delete it yourself when done");
                continue;
            }

            try
            {
                Directory.Delete(directory, recursive: true);
                removed.Add(directory);
                report($"deleted {directory}, left by run {runId} (owner pid {marker.OwnerPid} is gone)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report($"could not delete {directory}, left by run {runId}: {e.Message}");
            }
        }

        return removed;
    }

    private static void Signal(IEnumerable<MarkedProcess> processes, IEnumerable<int> groups, int signal)
    {
        foreach (var group in groups)
        {
            OsProcess.Signal(-group, signal);
        }

        foreach (var process in processes)
        {
            // Only the same process: a PID reused since it was found is left alone.
            if (OsProcess.StartTime(process.Pid) is not null && HarnessMarker.FromEnvironment(OsProcess.EnvironmentOf(process.Pid)) == process.Marker)
            {
                OsProcess.Signal(process.Pid, signal);
            }
        }
    }

    /// <summary>Waits (bounded) until every process is gone; returns those still alive.</summary>
    private static IReadOnlyList<MarkedProcess> WaitGone(IReadOnlyList<MarkedProcess> processes, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var alive = processes.Where(p => OsProcess.IsAlive(p.Pid)).ToArray();
            if (alive.Length == 0 || DateTime.UtcNow >= deadline)
            {
                return alive;
            }

            Thread.Sleep(Poll);
        }
    }

    /// <summary>This process and its ancestors up to PID 1.</summary>
    private static HashSet<int> Ancestry(int pid)
    {
        var chain = new HashSet<int> { 1 };
        for (int? current = pid; current is > 1 && chain.Add(current.Value);)
        {
            current = OsProcess.ParentOf(current.Value);
        }

        return chain;
    }
}
