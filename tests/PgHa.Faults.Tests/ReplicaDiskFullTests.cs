using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// Scenario 4: a replica's data directory is on a small filesystem (a tmpfs the test mounts, the stand-in for its
/// volume) that fills up while the primary keeps writing. The primary keeps acknowledging, the WAL it keeps for the
/// stuck replica stays under max_slot_wal_keep_size (the slot is given up instead), and once the volume has grown
/// the replica is back with the runbook's command for a lost slot (patronictl reinit).
/// </summary>
[Collection(FaultSuite.Name)]
public sealed class ReplicaDiskFullTests(SharedFaultCluster shared, ITestOutputHelper output)
{
    private const long Mb = 1024 * 1024;
    private const string MaxSlotWalKeepSize = "64MB";
    private const string WalKeepSize = "16MB";
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task Full_replica_disk_leaves_the_primary_writing_under_the_slot_cap_and_the_replica_recovers_once_space_is_freed()
    {
        await using var lease = await shared.AcquireAsync(output.WriteLine, synchronous: false);
        var fault = lease.Fault;
        var t = fault.Timings;
        var figures = new FaultFigures("replica disk full", ScenarioRounds.Mode(synchronous: false));
        // A small cap, so that the scenario writes a few hundred MB rather than gigabytes; the mechanism is the same.
        await fault.SetWalRetentionAsync(MaxSlotWalKeepSize, WalKeepSize, output.WriteLine);
        try
        {
            await ScenarioRounds.RunAsync(lease, figures, "replica disk full", TimeSpan.FromSeconds(120) + t.Rejoin + t.Converge, output.WriteLine,
                (table, clock, round) => RoundAsync(fault, lease.SmallDisk, table, figures, clock, round));
        }
        finally
        {
            // Back to the shipped retention and to the disk size the other scenarios run with.
            await fault.SetWalRetentionAsync(SharedFaultCluster.Settings.Patroni.MaxSlotWalKeepSize, SharedFaultCluster.Settings.Patroni.WalKeepSize, output.WriteLine);
            await lease.SmallDisk.ResizeAsync(Math.Max(SharedFaultCluster.SmallDiskBytes, lease.SmallDisk.UsedBytes + (64 * Mb)));
        }

        lease.Complete();
    }

    private async Task RoundAsync(FaultCluster fault, TmpfsMount disk, string table, FaultFigures figures, ScenarioClock clock, int round)
    {
        var t = fault.Timings;
        var cap = PostgresSize.TryParse(MaxSlotWalKeepSize)!.Value;
        var net = PostgresSize.TryParse(WalKeepSize)!.Value;
        // What the cap bounds: the segments kept behind the insert position after a checkpoint (the slot's, capped, or
        // wal_keep_size's, plus the segments since the checkpoint). pg_wal also holds recycled segments, already renamed
        // ahead of the insert position for reuse; how many depends on max_wal_size and the recent WAL rate, not on the
        // cap, so they are reported, not bounded here.
        var retainedBound = Math.Max(cap, net) + (4 * 16 * Mb);
        var replica = fault.Member(SharedFaultCluster.SmallDiskMember);
        var primary = await fault.WaitConvergedAsync(t.Converge);
        if (primary == replica)
        {
            // The member on the small disk leads (an earlier scenario promoted it): hand the lead over first.
            await FaultCluster.SwitchoverAsync(primary, fault.Others(primary)[0], t.NewLeader);
            await fault.Cluster.WaitForLeaderAsync("the lead to move off the member on the small disk", t.NewLeader, replica);
            primary = await fault.WaitConvergedAsync(t.Converge);
        }
        var slot = PatroniNames.SlotName(replica.Name);

        // Little room left: what the replica uses now plus 24 MB.
        await disk.ResizeAsync(disk.UsedBytes + (24 * Mb));
        var ledger = new WriteLedger();
        await using var writer = AcknowledgingWriter.Start("beside-primary", fault.Client(0), [primary], ledger, table, Pace, output.WriteLine);
        await Wait.UntilTrueAsync("50 writes acknowledged", TimeSpan.FromSeconds(30), () => Task.FromResult(ledger.Acknowledged.Count >= 50));
        var logOffset = new FileInfo(replica.PostgresLogPath).Length;
        var fillStart = ledger.Mark($"filling ({disk.FreeBytes / Mb} MB free on {replica}'s disk)");
        clock.Phase($"round {round}: {replica}'s disk has {disk.FreeBytes / Mb} MB free; writing on {primary} until its slot is given up");

        await primary.ExecuteAsync("CREATE TABLE IF NOT EXISTS filler (id bigint, pad text)");
        var startLsn = await primary.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        TimeSpan? fullAt = null;
        decimal maxRetained = 0, maxWal = 0;
        string status = "none";
        for (var batch = 0; batch < 40 && status != "lost"; batch++)
        {
            await primary.ExecuteAsync("INSERT INTO filler SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 30000) g");
            await primary.ExecuteAsync("CHECKPOINT");
            var (retained, total) = await RetainedAndTotalWalAsync(primary);
            maxRetained = Math.Max(maxRetained, retained);
            maxWal = Math.Max(maxWal, total);
            status = await primary.ScalarAsync<string>($"SELECT coalesce(wal_status, 'none') FROM pg_replication_slots WHERE slot_name = '{slot}'");
            if (fullAt is null && (await FileText.ReadFromAsync(replica.PostgresLogPath, logOffset)).Contains("No space left on device", StringComparison.Ordinal))
            {
                fullAt = ledger.Mark($"{replica}'s disk full");
                clock.Phase($"round {round}: {replica} reports 'No space left on device'");
            }
        }

        var written = await primary.ScalarAsync<decimal>($"SELECT pg_current_wal_lsn() - '{startLsn}'::pg_lsn");
        var lostAt = ledger.Mark($"slot {slot} {status}");
        var gap = ledger.LongestGap(fillStart, lostAt);
        clock.Phase($"round {round}: slot {slot} is {status} after {written / Mb:0} MB of WAL; {primary} retained at most {maxRetained / Mb:0} MB of WAL (bound {retainedBound / Mb} MB), its pg_wal with recycled segments {maxWal / Mb:0} MB; longest pause in acknowledgements {gap.TotalSeconds:0.00}s");
        Assert.True(fullAt is not null, $"{replica} never reported a full disk:{LogTail.Section($"{replica}'s PostgreSQL log", replica.PostgresLogPath)}");
        Assert.Equal("lost", status);
        Assert.True(maxRetained <= retainedBound,
            $"{primary} retained {maxRetained / Mb:0} MB of WAL after a checkpoint, more than max(max_slot_wal_keep_size, wal_keep_size) + 4 segments ({retainedBound / Mb} MB)");
        Assert.True(await FaultCluster.IsWritableAsync(primary), $"{primary} must keep accepting writes while a replica's disk is full");
        Assert.True(gap < TimeSpan.FromSeconds(5), $"{primary} paused acknowledging for {gap.TotalSeconds:0.0}s while the replica's disk was full");
        figures.AddSeconds("replica disk full after filling began", fullAt!.Value - fillStart);
        figures.Add($"primary's retained WAL at most (max_slot_wal_keep_size {cap / Mb} MB, wal_keep_size {net / Mb} MB)", "MB", (double)Math.Round(maxRetained / Mb));
        figures.Add("primary's pg_wal at most, recycled segments included", "MB", (double)Math.Round(maxWal / Mb));
        figures.AddSeconds("longest pause in the primary's acknowledgements", gap);

        // Free space (grow the volume), then the runbook's command for a lost slot.
        await disk.ResizeAsync(disk.UsedBytes + (1024 * Mb));
        var freed = ledger.Mark("space freed");
        clock.Phase($"round {round}: {replica}'s disk grown; recovering it with the runbook's command for a lost slot");
        await Wait.UntilTrueAsync($"{replica} to report that the WAL it needs was removed from {primary}", t.Rejoin, async () =>
            (await FileText.ReadFromAsync(replica.PostgresLogPath, logOffset)).Contains("has already been removed", StringComparison.Ordinal), output.WriteLine);
        var reinit = await OsProcess.RunAsync("patronictl", ["-c", replica.ConfigPath, "reinit", fault.Cluster.Scope, replica.Name, "--force"],
            TimeSpan.FromSeconds(60), asPostgres: true);
        output.WriteLine($"patronictl reinit: {reinit.Trim()}");
        await fault.Cluster.WaitForStreamingAsync(primary, [replica.Name], t.Rejoin);
        await FaultCluster.WaitCaughtUpAsync(primary, replica, t.Rejoin);
        var recovered = ledger.Mark($"{replica} streams again");
        clock.Phase($"round {round}: {replica} streams and has caught up {(recovered - freed).TotalSeconds:0.0}s after space was freed");
        figures.AddSeconds("replica streaming again after space was freed (reinit included)", recovered - freed);
        await writer.StopAsync();

        var final = await fault.WaitConvergedAsync(t.Converge);
        Assert.Equal(primary, final);
        var report = await LossReport.CheckAsync(final, table, ledger);
        output.WriteLine($"round {round}: {report.Describe()}");
        figures.Add("acknowledged writes lost", "writes", report.Lost.Count);
        Assert.Empty(report.Phantoms);
        Assert.True(report.Lost.Count == 0, $"acknowledged writes lost: {report.Describe()}");
        await FaultCluster.WaitCaughtUpAsync(final, replica, t.Rejoin);
        var onReplica = await LossReport.CheckAsync(replica, table, ledger);
        Assert.True(onReplica.Lost.Count == 0, $"the recovered replica is missing acknowledged writes: {onReplica.Describe()}");
        await primary.ExecuteAsync("TRUNCATE filler");
    }

    /// <summary>
    /// The WAL a member keeps (segments up to its insert position, older timelines included) and all of pg_wal (with the
    /// recycled segments that already carry the names of future ones).
    /// </summary>
    private static async Task<(decimal Retained, decimal Total)> RetainedAndTotalWalAsync(PatroniMember member) =>
    (
        await member.ScalarAsync<decimal>(
            "SELECT coalesce(sum(size), 0) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND substr(name, 9) <= substr(pg_walfile_name(pg_current_wal_lsn()), 9)"),
        await member.ScalarAsync<decimal>("SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()")
    );
}
