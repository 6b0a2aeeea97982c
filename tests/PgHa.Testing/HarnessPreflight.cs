namespace PgHa.Testing;

/// <summary>
/// Before the harness starts anything: checks, as the postgres OS user itself (setpriv to postgres, then test(1)),
/// every path that user will need (binaries, configuration, certificates, data and log directories), and throws
/// one <see cref="HarnessPreflightException"/> naming every path it cannot use, why, and the fix.
/// </summary>
public static class HarnessPreflight
{
    /// <summary>The fix for a file or directory the harness itself creates under its root.</summary>
    public static string RootFix =>
        $"set {HarnessRun.RootVariable} to a directory the postgres user can enter (the default is {HarnessRun.DefaultRoot})";

    /// <summary>Throws when any requirement is not met; problems are collected, not stopped at the first.</summary>
    public static async Task CheckAsync(IEnumerable<PostgresAccess> requirements, IEnumerable<string>? earlierProblems = null)
    {
        var problems = new List<string>(earlierProblems ?? []);
        if (OsProcess.IsRoot && (await OsProcess.ExecuteAsync("id", ["-u", "postgres"], TimeSpan.FromSeconds(10)).ConfigureAwait(false)).ExitCode != 0)
        {
            problems.Add("there is no postgres OS user (PostgreSQL refuses to run as root, so the harness runs it as postgres): " +
                "install the Debian package postgresql-15 (scripts/test.sh does)");
            throw new HarnessPreflightException(problems);
        }

        foreach (var requirement in requirements)
        {
            if (await ProblemAsync(requirement).ConfigureAwait(false) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw new HarnessPreflightException(problems);
        }
    }

    /// <summary>
    /// The absolute path of <paramref name="name"/> on this process's PATH (the harness starts programs as postgres by
    /// absolute path), and what postgres needs to run it: the program and, for a script, its interpreter.
    /// A missing program is reported in <paramref name="problems"/>.
    /// </summary>
    public static string Program(string name, string package, List<PostgresAccess> requirements, List<string> problems)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        var fix = $"install the Debian package {package} (scripts/test.sh does)";
        if (found is null)
        {
            problems.Add($"{name} is not installed (not on PATH): {fix}");
            return name;
        }

        AddExecutable(found, name, fix, requirements);
        return found;
    }

    /// <summary>An executable postgres must run, and the interpreter of its #! line when it is a script.</summary>
    public static void AddExecutable(string path, string what, string fix, List<PostgresAccess> requirements)
    {
        requirements.Add(PostgresAccess.Executable(path, what, fix));
        if (Interpreter(path) is { } interpreter)
        {
            requirements.Add(PostgresAccess.Executable(interpreter, $"the interpreter of {path}", fix));
        }
    }

    private static string? Interpreter(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var buffer = new char[256];
            var first = new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length)).Split('\n')[0];
            return first.StartsWith("#!", StringComparison.Ordinal)
                ? first[2..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Null when postgres can do what the requirement asks; else what is wrong and the fix.</summary>
    public static async Task<string?> ProblemAsync(PostgresAccess requirement)
    {
        var path = requirement.Path;
        var ok = requirement.Kind switch
        {
            AccessKind.Read => await TestAsync("-f", path).ConfigureAwait(false) && await TestAsync("-r", path).ConfigureAwait(false),
            AccessKind.Execute => await TestAsync("-f", path).ConfigureAwait(false) && await TestAsync("-x", path).ConfigureAwait(false),
            AccessKind.Enter => await TestAsync("-d", path).ConfigureAwait(false) && await TestAsync("-x", path).ConfigureAwait(false),
            AccessKind.Write => await TestAsync("-d", path).ConfigureAwait(false) && await TestAsync("-x", path).ConfigureAwait(false)
                && await TestAsync("-w", path).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(requirement)),
        };
        if (ok)
        {
            return null;
        }

        var verb = requirement.Kind switch
        {
            AccessKind.Read => "read",
            AccessKind.Execute => "execute",
            AccessKind.Enter => "enter",
            _ => "write into",
        };
        var head = $"the postgres OS user cannot {verb} {path} ({requirement.What})";
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return $"{head}: it does not exist. Fix: {requirement.Fix}";
        }

        foreach (var ancestor in Ancestors(path))
        {
            if (!await TestAsync("-x", ancestor).ConfigureAwait(false))
            {
                return $"{head}: it cannot enter {ancestor} ({await DescribeAsync(ancestor).ConfigureAwait(false)}). " +
                    $"Fix: chmod o+x {ancestor} (so postgres may pass through it), or {requirement.Fix}";
            }
        }

        var wrongType = requirement.Kind is AccessKind.Enter or AccessKind.Write ? !Directory.Exists(path) : !File.Exists(path);
        return wrongType
            ? $"{head}: it is not a {(requirement.Kind is AccessKind.Enter or AccessKind.Write ? "directory" : "file")}. Fix: {requirement.Fix}"
            : $"{head}: it is {await DescribeAsync(path).ConfigureAwait(false)}. Fix: {requirement.Fix}";
    }

    /// <summary>/, /a, /a/b for /a/b/c: the directories a lookup of the path passes through.</summary>
    private static IEnumerable<string> Ancestors(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        var chain = new Stack<string>();
        for (; parent is not null; parent = Path.GetDirectoryName(parent))
        {
            chain.Push(parent);
        }

        return chain;
    }

    /// <summary>test(1) as the postgres user, from /, so this process's working directory plays no part.</summary>
    private static async Task<bool> TestAsync(string flag, string path) =>
        (await OsProcess.ExecuteAsync("/usr/bin/test", [flag, path], TimeSpan.FromSeconds(10), asPostgres: true, workingDirectory: "/")
            .ConfigureAwait(false)).ExitCode == 0;

    /// <summary>Mode, owner and group, as ls shows them (e.g. drwx------ root:root).</summary>
    private static async Task<string> DescribeAsync(string path)
    {
        var (code, output) = await OsProcess.ExecuteAsync("stat", ["-c", "%A %U:%G", path], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return code == 0 ? output.Trim() : "mode unknown";
    }
}
