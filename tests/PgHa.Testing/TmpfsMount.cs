using System.Globalization;

namespace PgHa.Testing;

/// <summary>
/// A small filesystem (tmpfs) mounted on a directory of this run, owned by the postgres user: a member's "disk" that a
/// test can fill, and grow again (<see cref="ResizeAsync"/>, the stand-in for growing a volume). Only directories under
/// the harness root are ever mounted on. Disposing unmounts it. A mount left by a test process that is gone is
/// unmounted by the next <see cref="MountAsync"/> (its source name carries the owner, checked as the harness's other
/// leftovers are).
/// </summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    /// <summary>Every mount's source name starts with this; the rest is the owner (pid_starttime).</summary>
    public const string SourcePrefix = "pgha_tmpfs_";

    private readonly Action<string>? _log;
    private bool _unmounted;

    private TmpfsMount(string path, Action<string>? log)
    {
        Path = path;
        _log = log;
    }

    public string Path { get; }

    /// <summary>Free bytes on the filesystem.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Bytes in use on the filesystem.</summary>
    public long UsedBytes
    {
        get
        {
            var drive = new DriveInfo(Path);
            return drive.TotalSize - drive.TotalFreeSpace;
        }
    }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on <paramref name="path"/> (an empty directory under the harness root), mode 0700, owned by postgres.</summary>
    public static async Task<TmpfsMount> MountAsync(string path, long bytes, Action<string>? log = null)
    {
        var run = HarnessRun.Current;
        var full = System.IO.Path.GetFullPath(path);
        if (!full.StartsWith(run.Root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{full} is not under the harness root {run.Root}: the harness mounts nothing anywhere else", nameof(path));
        }

        await UnmountLeftoversAsync(run.Root, log).ConfigureAwait(false);
        Directory.CreateDirectory(full);
        if (Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new InvalidOperationException($"{full} is not empty: a filesystem mounted on it would hide what is there");
        }

        var owner = await PostgresIdsAsync().ConfigureAwait(false);
        var source = string.Create(CultureInfo.InvariantCulture, $"{SourcePrefix}{run.Marker.OwnerPid}_{run.Marker.OwnerStartTime}");
        await OsProcess.RunAsync("mount", ["-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={bytes},mode=0700,{owner}"), source, full],
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        log?.Invoke($"mounted a {bytes / (1024 * 1024)} MB tmpfs on {full}");
        return new TmpfsMount(full, log);
    }

    /// <summary>Changes the filesystem's size (growing it frees space; it cannot shrink below what is in use).</summary>
    public async Task ResizeAsync(long bytes)
    {
        await OsProcess.RunAsync("mount", ["-o", string.Create(CultureInfo.InvariantCulture, $"remount,size={bytes}"), Path], TimeSpan.FromSeconds(30))
            .ConfigureAwait(false);
        _log?.Invoke($"resized the tmpfs on {Path} to {bytes / (1024 * 1024)} MB ({FreeBytes / (1024 * 1024)} MB free)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_unmounted)
        {
            return;
        }

        _unmounted = true;
        var (code, output) = await OsProcess.ExecuteAsync("umount", [Path], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (code != 0)
        {
            // Still busy (a process of a member that did not stop): detach it now, the kernel frees it when the last user goes.
            _log?.Invoke($"umount {Path} failed ({output.Trim()}); detaching it lazily");
            await OsProcess.RunAsync("umount", ["-l", Path], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        _log?.Invoke($"unmounted the tmpfs on {Path}");
    }

    /// <summary>Unmounts (lazily) the harness's tmpfs mounts under <paramref name="root"/> whose test process is gone.</summary>
    public static async Task UnmountLeftoversAsync(string root, Action<string>? log)
    {
        foreach (var line in await File.ReadAllLinesAsync("/proc/mounts").ConfigureAwait(false))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3 || fields[2] != "tmpfs" || !fields[0].StartsWith(SourcePrefix, StringComparison.Ordinal)
                || !fields[1].StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var owner = fields[0][SourcePrefix.Length..].Split('_');
            var marker = owner.Length == 2 ? HarnessMarker.Parse(fields[0], $"{owner[0]}:{owner[1]}") : null;
            if (marker is { OwnerIsAlive: true })
            {
                continue;
            }

            await OsProcess.RunAsync("umount", ["-l", fields[1]], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var message = $"[pgha harness] unmounted the tmpfs on {fields[1]}, left by a test process that is gone";
            Console.Error.WriteLine(message);
            log?.Invoke(message);
        }
    }

    private static async Task<string> PostgresIdsAsync()
    {
        if (!OsProcess.IsRoot)
        {
            throw new InvalidOperationException("mounting a small filesystem needs root: run the fault tests as root");
        }

        var uid = (await OsProcess.RunAsync("id", ["-u", "postgres"], TimeSpan.FromSeconds(10)).ConfigureAwait(false)).Trim();
        var gid = (await OsProcess.RunAsync("id", ["-g", "postgres"], TimeSpan.FromSeconds(10)).ConfigureAwait(false)).Trim();
        return $"uid={uid},gid={gid}";
    }
}
