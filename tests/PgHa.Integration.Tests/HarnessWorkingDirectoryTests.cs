using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// The harness works wherever the repository is checked out: a test process whose working directory the postgres
/// user cannot enter (a clone under /root, a mktemp -d folder) still bootstraps a cluster, because every process
/// it starts as postgres runs in a directory postgres owns.
/// </summary>
public sealed class HarnessWorkingDirectoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_cluster_started_from_a_working_directory_postgres_cannot_enter_bootstraps()
    {
        Assert.True(OsProcess.IsRoot, "this test makes a directory only root can enter: run it as root");
        var original = Directory.GetCurrentDirectory();
        // As mktemp -d makes it: mode 0700, owned by root.
        var locked = Directory.CreateTempSubdirectory("pgha-cwd-").FullName;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(locked));
        Assert.NotNull(await HarnessPreflight.ProblemAsync(PostgresAccess.Enterable(locked, "the test's working directory", "none")));
        Directory.SetCurrentDirectory(locked);
        try
        {
            await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), memberCount: 2, log: output.WriteLine);
            var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
            Assert.True(await leader.ScalarAsync<bool>("SELECT NOT pg_is_in_recovery()"));
            Assert.DoesNotContain(locked, cluster.Directory, StringComparison.Ordinal);
            foreach (var member in cluster.Members)
            {
                var patroni = member.PatroniPid ?? throw new InvalidOperationException($"{member.Name}'s Patroni is not running");
                Assert.Equal(member.Directory, new DirectoryInfo($"/proc/{patroni}/cwd").ResolveLinkTarget(false)!.FullName);
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(original);
            Directory.Delete(locked, recursive: true);
        }
    }
}
