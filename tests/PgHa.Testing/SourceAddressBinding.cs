using System.Net;
using System.Reflection;

namespace PgHa.Testing;

/// <summary>
/// Makes a process's outgoing loopback connections leave from an address of its own. Linux sends every connection
/// to 127.x.y.z from 127.0.0.1 (the preferred source of the loopback route) unless the socket is bound first, and
/// neither Patroni, libpq (walreceiver, pg_rewind, pg_basebackup) nor pgbench can be told to bind. So the harness
/// preloads a small shim (Native/bind_source_address.c, compiled here once per run with the C compiler) that binds
/// each unbound IPv4 socket to <see cref="AddressVariable"/> before it connects to a loopback address. With it, a
/// member's traffic carries the member's address and a cut between two addresses cuts exactly those two processes.
/// </summary>
public static class SourceAddressBinding
{
    public const string AddressVariable = "PGHA_SOURCE_ADDRESS";
    private const string ResourceName = "PgHa.Testing.Native.bind_source_address.c";
    private const string LibraryName = "libpgha_bind_source_address.so";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _library;

    /// <summary>The environment that makes a process connect from <paramref name="source"/> (checked: an own loopback address).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IPAddress source) => new Dictionary<string, string>
    {
        ["LD_PRELOAD"] = await LibraryAsync().ConfigureAwait(false),
        [AddressVariable] = LoopbackAddress.Require(source, "a process's source address").ToString(),
    };

    /// <summary>The compiled shim (in this run's directory, readable by postgres), compiled on first use.</summary>
    public static async Task<string> LibraryAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_library is not null)
            {
                return _library;
            }

            var compiler = new[] { "cc", "gcc" }.Select(FindOnPath).FirstOrDefault(p => p is not null)
                ?? throw new InvalidOperationException(
                    "no C compiler (cc) on PATH: the fault harness compiles a small LD_PRELOAD shim that binds each member's connections to its own " +
                    "loopback address. Install the Debian packages gcc and libc6-dev (scripts/test.sh does).");
            var directory = HarnessRun.Current.CreateDirectory("bind-source-", forPostgres: false);
            var source = Path.Combine(directory, "bind_source_address.c");
            var library = Path.Combine(directory, LibraryName);
            await using (var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the harness assembly"))
            await using (var file = File.Create(source))
            {
                await resource.CopyToAsync(file).ConfigureAwait(false);
            }

            await OsProcess.RunAsync(compiler, ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", library, source, "-ldl"],
                TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            File.SetUnixFileMode(library, (UnixFileMode)0b111_101_101);
            _library = library;
            return library;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Concat(["/usr/bin", "/bin"])
        .Select(d => Path.Combine(d, name))
        .FirstOrDefault(File.Exists);
}
