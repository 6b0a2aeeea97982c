using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// The documented recovery for a replica whose slot was lost (docs/runbook.md): re-clone it from the leader with
/// `patronictl reinit --force &lt;scope&gt; &lt;member&gt;`. Run here exactly as the runbook says, against the test cluster.
/// </summary>
internal static class SlotRecovery
{
    public static async Task RecoverAsync(PatroniCluster cluster, PatroniMember leader, PatroniMember replica, Action<string> log)
    {
        var logOffset = new FileInfo(replica.PostgresLogPath).Length;
        await cluster.SetPausedAsync(leader, paused: false);

        // Back up, the replica asks for WAL the leader no longer has: it cannot stream by itself.
        await Wait.UntilTrueAsync($"{replica} to report that the WAL it needs was removed", TimeSpan.FromSeconds(60), async () =>
        {
            // PostgreSQL's walreceiver says so, in the server's log.
            await using var stream = new FileStream(replica.PostgresLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(logOffset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return (await reader.ReadToEndAsync()).Contains("has already been removed", StringComparison.Ordinal);
        }, log);

        var output = await OsProcess.RunAsync("patronictl", ["-c", replica.ConfigPath, "reinit", cluster.Scope, replica.Name, "--force"],
            TimeSpan.FromSeconds(60), asPostgres: true);
        log($"patronictl reinit: {output.Trim()}");
    }
}
