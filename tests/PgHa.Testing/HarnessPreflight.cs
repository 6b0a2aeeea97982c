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

        var all = requirements.ToArray();
        foreach (var failing in await FailingAsync(all).ConfigureAwait(false))
        {
            problems.Add(await DiagnoseAsync(all[failing]).ConfigureAwait(false));
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
    public static async Task<string?> ProblemAsync(PostgresAccess requirement) =>
        (await FailingAsync([requirement]).ConfigureAwait(false)).Count == 0 ? null : await DiagnoseAsync(requirement).ConfigureAwait(false);

    /// <summary>
    /// The indexes of the requirements postgres does not meet, tested by test(1) as postgres in one shell (one
    /// process for all of them), from /, so this process's working directory plays no part.
    /// </summary>
    private static async Task<IReadOnlyList<int>> FailingAsync(IReadOnlyList<PostgresAccess> requirements)
    {
        const string Script = """
            i=0
            while [ $# -gt 0 ]; do
              case "$1" in
                read) test -f "$2" && test -r "$2" ;;
                execute) test -f "$2" && test -x "$2" ;;
                enter) test -d "$2" && test -x "$2" ;;
                write) test -d "$2" && test -x "$2" && test -w "$2" ;;
              esac || echo "$i"
              i=$((i + 1)); shift 2
            done
            """;
        var args = new List<string> { "-c", Script, "preflight" };
        foreach (var requirement in requirements)
        {
            args.Add(requirement.Kind.ToString().ToLowerInvariant());
            args.Add(requirement.Path);
        }

        var (code, output) = await OsProcess.ExecuteAsync("/bin/sh", args, TimeSpan.FromSeconds(30), asPostgres: true, workingDirectory: "/")
            .ConfigureAwait(false);
        return code == 0
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(i => int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : throw new InvalidOperationException($"the preflight could not test access as the postgres OS user (exit {code}): {output.Trim()}");
    }

    /// <summary>What is wrong with a requirement postgres does not meet (missing, a directory on the way it cannot enter, or the path's own mode), and the fix.</summary>
    private static async Task<string> DiagnoseAsync(PostgresAccess requirement)
    {
        var path = requirement.Path;
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

        var ancestors = Ancestors(path).ToArray();
        var blocked = await FailingAsync(ancestors.Select(a => PostgresAccess.Enterable(a, "", "")).ToArray()).ConfigureAwait(false);
        if (blocked.Count > 0)
        {
            var ancestor = ancestors[blocked.Min()];
            return $"{head}: it cannot enter {ancestor} ({await DescribeAsync(ancestor).ConfigureAwait(false)}). " +
                $"Fix: chmod o+x {ancestor} (so postgres may pass through it), or {requirement.Fix}";
        }

        var directory = requirement.Kind is AccessKind.Enter or AccessKind.Write;
        var wrongType = directory ? !Directory.Exists(path) : !File.Exists(path);
        return wrongType
            ? $"{head}: it is not a {(directory ? "directory" : "file")}. Fix: {requirement.Fix}"
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

    /// <summary>Mode, owner and group, as ls shows them (e.g. drwx------ root:root).</summary>
    private static async Task<string> DescribeAsync(string path)
    {
        var (code, output) = await OsProcess.ExecuteAsync("stat", ["-c", "%A %U:%G", path], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return code == 0 ? output.Trim() : "mode unknown";
    }
}
