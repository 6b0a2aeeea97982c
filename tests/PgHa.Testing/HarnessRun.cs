using System.Globalization;
using System.Security.Cryptography;

namespace PgHa.Testing;

/// <summary>
/// This process's run of the harness: one directory under <see cref="Root"/> (by default /tmp/pgha-harness, which
/// the postgres user can enter wherever the repository is checked out) that holds every file the run's processes
/// need, and one <see cref="HarnessMarker"/> that every process it starts carries. The first use sweeps what
/// earlier runs left behind (<see cref="LeftoverSweep"/>); on exit the run stops what it still runs and deletes
/// its directory (kept, and left alone by later sweeps, with PGHA_KEEP_TEST_DIRS=1).
/// </summary>
public sealed class HarnessRun
{
    /// <summary>Overrides <see cref="DefaultRoot"/>: a directory the postgres user can enter.</summary>
    public const string RootVariable = "PGHA_HARNESS_ROOT";

    public const string DefaultRoot = "/tmp/pgha-harness";

    /// <summary>Set to 1 to keep every test directory (for reading the logs after a run).</summary>
    public const string KeepVariable = "PGHA_KEEP_TEST_DIRS";

    /// <summary>In a run directory: who owns the run (<see cref="HarnessMarker.Owner"/>).</summary>
    public const string OwnerFile = "owner";

    /// <summary>In a run directory: the run was kept on purpose; sweeps leave the directory alone.</summary>
    public const string KeptFile = "kept";

    private static readonly Lock Gate = new();
    private static HarnessRun? _current;

    private HarnessRun(string root, HarnessMarker marker, string directory, string postgresHome)
    {
        Root = root;
        Marker = marker;
        Directory = directory;
        PostgresHome = postgresHome;
    }

    /// <summary>Where every run's directory lives.</summary>
    public string Root { get; }

    public HarnessMarker Marker { get; }

    public string Id => Marker.RunId;

    /// <summary>This run's directory: <c>&lt;root&gt;/&lt;run id&gt;</c>.</summary>
    public string Directory { get; }

    /// <summary>A directory of this run that the postgres user owns: the working directory of short commands run as postgres.</summary>
    public string PostgresHome { get; }

    public static bool KeepDirectories => Environment.GetEnvironmentVariable(KeepVariable) == "1";

    /// <summary>The root every run's directory goes under (<see cref="RootVariable"/>, else <see cref="DefaultRoot"/>).</summary>
    public static string ConfiguredRoot =>
        Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root ? Path.GetFullPath(root) : DefaultRoot;

    /// <summary>This process's run, started (and earlier runs' leftovers swept) on first use.</summary>
    public static HarnessRun Current => Start(null);

    /// <summary>This process's run if it has started, else null.</summary>
    public static HarnessRun? CurrentOrNull
    {
        get
        {
            lock (Gate)
            {
                return _current;
            }
        }
    }

    /// <summary>
    /// Starts this process's run once: sweeps processes and directories that earlier, dead runs left (saying so on
    /// stderr), then creates the run's directory (and says where to <paramref name="log"/>). Later calls return the same run.
    /// </summary>
    public static HarnessRun Start(Action<string>? log)
    {
        lock (Gate)
        {
            if (_current is not null)
            {
                return _current;
            }

            var root = ConfiguredRoot;
            var id = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()}");
            var marker = HarnessMarker.ForThisProcess(id);

            CreateRoot(root);
            LeftoverSweep.Run(root, id, line => Console.Error.WriteLine($"[pgha harness] {line}"));

            var directory = Path.Combine(root, id);
            System.IO.Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            File.WriteAllText(Path.Combine(directory, OwnerFile), marker.Owner + Environment.NewLine);
            var postgresHome = Path.Combine(directory, "postgres-home");
            System.IO.Directory.CreateDirectory(postgresHome);
            File.SetUnixFileMode(postgresHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            GiveToPostgres(postgresHome);

            _current = new HarnessRun(root, marker, directory, postgresHome);
            log?.Invoke($"harness run {id}: files under {directory}");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _current.Finish();
            return _current;
        }
    }

    /// <summary>A new directory <c>&lt;prefix&gt;&lt;random&gt;</c> in this run's directory (mode 0755; owned by postgres when <paramref name="forPostgres"/>).</summary>
    public string CreateDirectory(string prefix, bool forPostgres)
    {
        var path = Path.Combine(Directory, prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());
        System.IO.Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        if (forPostgres)
        {
            GiveToPostgres(path);
        }

        return path;
    }

    /// <summary>Makes the postgres OS user own <paramref name="path"/> and everything in it (when this process is root; else it is postgres already).</summary>
    public static void GiveToPostgres(string path)
    {
        if (!OsProcess.IsRoot)
        {
            return;
        }

        var info = new System.Diagnostics.ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-R", "postgres:postgres", path })
        {
            info.ArgumentList.Add(a);
        }

        using var chown = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("could not start chown");
        var error = chown.StandardError.ReadToEndAsync();
        if (!chown.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            chown.Kill(entireProcessTree: true);
            throw new TimeoutException($"chown -R postgres:postgres {path} did not finish within 60s");
        }

        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown -R postgres:postgres {path} failed ({chown.ExitCode}): {error.Result.Trim()}. " +
                "The harness runs PostgreSQL as the postgres OS user: install postgresql-15 (it creates the user).");
        }
    }

    /// <summary>The root is shared by every user's runs, as /tmp is: world-writable with the sticky bit.</summary>
    private static void CreateRoot(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            System.IO.Directory.CreateDirectory(root);
            File.SetUnixFileMode(root, (UnixFileMode)0b1_111_111_111);
        }
    }

    /// <summary>On exit: stops what this run still runs (a test that leaked a process) and deletes the run's directory.</summary>
    private void Finish()
    {
        try
        {
            var own = LeftoverSweep.Find(p => p.Marker.RunId == Id);
            if (own.Count > 0)
            {
                LeftoverSweep.Stop(own, TimeSpan.FromSeconds(5), line => Console.Error.WriteLine($"[pgha harness] at exit: {line}"));
            }

            if (KeepDirectories)
            {
                File.WriteAllText(Path.Combine(Directory, KeptFile), $"kept by {KeepVariable}=1{Environment.NewLine}");
                Console.Error.WriteLine($"[pgha harness] kept {Directory} ({KeepVariable}=1); later runs leave it alone: delete it yourself");
            }
            else
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
#pragma warning disable CA1031 // the process is exiting: a failed cleanup is reported, the next run's sweep finishes it
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"[pgha harness] could not clean up {Directory} at exit: {e.Message}");
        }
    }
}
