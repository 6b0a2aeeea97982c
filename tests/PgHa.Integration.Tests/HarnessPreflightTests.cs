using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>The harness checks what the postgres user will need before it starts anything, and names the path and the fix.</summary>
public sealed class HarnessPreflightTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_bin_directory_postgres_cannot_reach_is_reported_by_name_before_anything_starts()
    {
        Assert.True(OsProcess.IsRoot, "this test makes a directory only root can enter: run it as root");
        var locked = Directory.CreateTempSubdirectory("pgha-locked-").FullName;
        try
        {
            // Root sees a complete PostgreSQL bin directory; postgres cannot get into the directory that holds it.
            var bin = Directory.CreateDirectory(Path.Combine(locked, "bin")).FullName;
            foreach (var program in Directory.EnumerateFiles(PatroniCluster.FindBinDirectory()))
            {
                File.CreateSymbolicLink(Path.Combine(bin, Path.GetFileName(program)), program);
            }

            var run = HarnessRun.Start(output.WriteLine);
            var before = LeftoverSweep.Find(p => p.Marker.RunId == run.Id).Select(p => p.Pid).ToHashSet();
            var error = await Assert.ThrowsAsync<HarnessPreflightException>(() => PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine,
                options: new LoopbackClusterOptions { BinDirectory = bin }));
            output.WriteLine(error.Message);

            var postgres = Path.Combine(bin, "postgres");
            var problem = Assert.Single(error.Problems, p => p.Contains($"cannot execute {postgres} ", StringComparison.Ordinal));
            Assert.Contains($"it cannot enter {locked} (drwx------ root:root)", problem, StringComparison.Ordinal);
            Assert.Contains($"Fix: chmod o+x {locked}", problem, StringComparison.Ordinal);
            // Nothing was started: no process of this run is new (etcd would be the first).
            Assert.DoesNotContain(LeftoverSweep.Find(p => p.Marker.RunId == run.Id), p => !before.Contains(p.Pid));
        }
        finally
        {
            Directory.Delete(locked, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_postgres_cannot_read_is_named_with_its_mode_and_owner()
    {
        Assert.True(OsProcess.IsRoot, "this test makes a file only root can read: run it as root");
        var run = HarnessRun.Start(output.WriteLine);
        var directory = run.CreateDirectory("preflight-", forPostgres: false);
        try
        {
            var key = Path.Combine(directory, "server.key");
            await File.WriteAllTextAsync(key, "not a key");
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var readable = Path.Combine(directory, "server.crt");
            await File.WriteAllTextAsync(readable, "not a certificate");
            File.SetUnixFileMode(readable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            var error = await Assert.ThrowsAsync<HarnessPreflightException>(() => HarnessPreflight.CheckAsync(
            [
                PostgresAccess.Readable(readable, "the TLS certificate", "none needed"),
                PostgresAccess.Readable(key, "the TLS key", "chown postgres the key"),
            ]));
            output.WriteLine(error.Message);
            var problem = Assert.Single(error.Problems);
            Assert.Equal($"the postgres OS user cannot read {key} (the TLS key): it is -rw------- root:root. Fix: chown postgres the key", problem);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
