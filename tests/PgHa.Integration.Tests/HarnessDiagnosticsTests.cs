using System.Net;
using System.Net.Sockets;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>A member that cannot start makes the wait on it give up with the end of its Patroni and PostgreSQL logs in the message.</summary>
public sealed class HarnessDiagnosticsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_member_whose_port_is_taken_times_out_with_the_last_lines_of_its_logs()
    {
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), memberCount: 2, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replica = cluster.Members.Single(m => m != leader);
        await replica.CrashAsync();

        // Something else holds the replica's PostgreSQL port: its Patroni runs, its PostgreSQL cannot start.
        using var squatter = new TcpListener(IPAddress.Loopback, replica.PostgresPort);
        squatter.Start();
        replica.Start();
        // Its Patroni needs a few seconds to start and try PostgreSQL (more on a loaded machine): wait for the cause to
        // be in the log, then freeze that Patroni, so neither log changes between the message and the reads below.
        await Wait.UntilTrueAsync($"{replica.Name}'s PostgreSQL to fail on the taken port", TimeSpan.FromSeconds(60),
            () => Task.FromResult(LogTail.Read(replica.PostgresLogPath).Contains("Address already in use", StringComparison.Ordinal)),
            output.WriteLine);
        replica.SignalPatroni(OsProcess.SigStop);
        TimeoutException error;
        string patroniTail;
        try
        {
            error = await Assert.ThrowsAsync<TimeoutException>(() =>
                cluster.WaitForStreamingAsync(leader, [replica.Name], TimeSpan.FromSeconds(8)));
            patroniTail = LogTail.Read(replica.LogPath, 3);
        }
        finally
        {
            replica.SignalPatroni(OsProcess.SigCont);
        }

        output.WriteLine(error.Message);

        Assert.StartsWith($"gave up after 8s waiting for {replica.Name} to stream from {leader.Name}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"--- last 30 lines of {replica.LogPath} ({replica.Name}'s Patroni log) ---", error.Message, StringComparison.Ordinal);
        Assert.Contains($"--- last 30 lines of {replica.PostgresLogPath} ({replica.Name}'s PostgreSQL log) ---", error.Message, StringComparison.Ordinal);
        // The cause, as PostgreSQL wrote it, and what Patroni made of it, are in the message itself.
        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
        var patroniLines = patroniTail.Split(Environment.NewLine);
        Assert.All(patroniLines, line => Assert.Contains(line, error.Message, StringComparison.Ordinal));
    }
}
