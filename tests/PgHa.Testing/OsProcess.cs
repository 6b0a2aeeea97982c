using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PgHa.Testing;

/// <summary>Starting, signalling and inspecting the real processes a test runs (Linux).</summary>
public static partial class OsProcess
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    /// <summary>PostgreSQL refuses to run as root: as root, servers run as the postgres OS user.</summary>
    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    /// <summary>Alive = exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>A process's command line, arguments joined by spaces (empty when it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    public static IReadOnlyList<int> Children(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
                .ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Field <paramref name="index"/> (1-based, as in proc(5)) of /proc/&lt;pid&gt;/stat, or null when the process is gone.</summary>
    private static string? StatField(int pid, int index)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces and parentheses) start at field 3.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return index >= 3 && index - 3 < rest.Length ? rest[index - 3] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>When the process started (clock ticks since boot): with the PID, it tells a process from a later one that reuses the PID.</summary>
    public static long? StartTime(int pid) =>
        long.TryParse(StatField(pid, 22), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;

    /// <summary>The process group of a process, or null when it is gone.</summary>
    public static int? ProcessGroup(int pid) =>
        int.TryParse(StatField(pid, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var group) ? group : null;

    /// <summary>The parent of a process, or null when it is gone.</summary>
    public static int? ParentOf(int pid) =>
        int.TryParse(StatField(pid, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;

    /// <summary>Every process ID in /proc.</summary>
    public static IReadOnlyList<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToArray();

    /// <summary>The environment a process started with (/proc/&lt;pid&gt;/environ); empty when it is gone or not readable.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ")
                .Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> in the background with output appended to <paramref name="logFile"/>, in
    /// <paramref name="workingDirectory"/>, in a session (and process group) of its own, marked with
    /// <paramref name="marker"/> (by default this process's <see cref="HarnessRun"/>); as the postgres user when this
    /// process is root. Returns the program's PID (sh, setsid, setpriv and env exec into it).
    /// </summary>
    public static Process StartLogged(string logFile, string program, IEnumerable<string> args, bool asPostgres, string workingDirectory,
        HarnessMarker? marker = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$PGHA_LOG\" 2>&1 </dev/null");
        info.ArgumentList.Add("setsid");
        foreach (var word in Command(program, args, asPostgres, marker ?? HarnessRun.Current.Marker, environment))
        {
            info.ArgumentList.Add(word);
        }

        info.Environment["PGHA_LOG"] = logFile;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
    }

    /// <summary>
    /// [setpriv to postgres --] [env MARKER... NAME=value...] program args. For postgres the environment is reset (none
    /// of root's leaks in), so the marker and the extra <paramref name="environment"/> are set after the switch.
    /// </summary>
    private static List<string> Command(string program, IEnumerable<string> args, bool asPostgres, HarnessMarker? marker,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = new List<string>();
        if (asPostgres && IsRoot)
        {
            command.AddRange(AsPostgresPrefix);
        }

        if (marker is not null || environment is { Count: > 0 })
        {
            command.Add("/usr/bin/env");
            command.AddRange(marker?.EnvironmentAssignments ?? []);
            command.AddRange((environment ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}"));
        }

        command.Add(program);
        command.AddRange(args);
        return command;
    }

    /// <summary>The command prefix that runs what follows as the postgres OS user (with that user's groups and a clean environment).</summary>
    public static IReadOnlyList<string> AsPostgresPrefix { get; } =
        ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", "--"];

    /// <summary>
    /// Runs a short command to completion (bounded) and returns its output; throws with the output on failure.
    /// As postgres (when root), it runs in <paramref name="workingDirectory"/> or else in a directory of this run
    /// that postgres owns, never in this process's working directory (which postgres may not be allowed to enter).
    /// </summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null, bool asPostgres = false,
        string? workingDirectory = null)
    {
        var (exitCode, output) = await ExecuteAsync(program, args, timeout, asPostgres, workingDirectory).ConfigureAwait(false);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {exitCode}: {output}");
    }

    /// <summary>Runs a short command to completion (bounded); its exit code and output, whatever the code.</summary>
    public static async Task<(int ExitCode, string Output)> ExecuteAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null,
        bool asPostgres = false, string? workingDirectory = null)
    {
        var command = Command(program, args, asPostgres, HarnessRun.CurrentOrNull?.Marker);
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var word in command.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        if (asPostgres)
        {
            info.WorkingDirectory = workingDirectory ?? HarnessRun.Current.PostgresHome;
        }
        else if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        var bound = timeout ?? TimeSpan.FromSeconds(60);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {bound.TotalSeconds:0}s");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
