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

    /// <summary>
    /// Starts <paramref name="program"/> in the background with output appended to <paramref name="logFile"/>;
    /// as the postgres user when this process is root. Returns the program's PID (sh and setpriv exec into it).
    /// </summary>
    public static Process StartLogged(string logFile, string program, IEnumerable<string> args, bool asPostgres)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$PGHA_LOG\" 2>&1 </dev/null");
        if (asPostgres && IsRoot)
        {
            info.ArgumentList.Add("setpriv");
            foreach (var a in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", "--" })
            {
                info.ArgumentList.Add(a);
            }
        }

        info.ArgumentList.Add(program);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["PGHA_LOG"] = logFile;

        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
    }

    /// <summary>Runs a short command to completion (bounded) and returns its output; throws with the output on failure.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null, bool asPostgres = false)
    {
        var info = new ProcessStartInfo(asPostgres && IsRoot ? "setpriv" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asPostgres && IsRoot)
        {
            foreach (var a in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", "--", program })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:0}s");
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {output}");
    }
}
