using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>A replica that stops consuming WAL cannot make the leader keep WAL forever.</summary>
public sealed class SlotCapTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stopped_replica_slot_is_lost_at_the_cap_and_the_replica_recovers()
    {
        // A small cap so the test writes a few hundred MB, not gigabytes; the mechanism is the same.
        var settings = LoopbackSettings.Load(("pgha:maxSlotWalKeepSize", "64MB"), ("pgha:walKeepSize", "16MB"));
        var cap = PostgresSize.TryParse(settings.Patroni.MaxSlotWalKeepSize)!.Value;
        var net = PostgresSize.TryParse(settings.Patroni.WalKeepSize)!.Value;
        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var stopped = cluster.Members.First(m => m != leader);
        var slot = PatroniNames.SlotName(stopped.Name);

        // The replica stops: its PostgreSQL goes down while the member stays in the cluster (maintenance mode, so
        // Patroni neither restarts it nor forgets the member), exactly what keeps its slot on the leader.
        await cluster.SetPausedAsync(leader, paused: true);
        await stopped.StopPostgresAsync(cluster.BinDirectory);
        await Wait.UntilTrueAsync($"slot {slot} to go inactive", TimeSpan.FromSeconds(30),
            async () => !await leader.ScalarAsync<bool>($"SELECT active FROM pg_replication_slots WHERE slot_name = '{slot}'"));
        {
            // Write three times the cap, checkpointing so old segments can be removed.
            await leader.ExecuteAsync("CREATE TABLE filler (id bigint, pad text)");
            for (var round = 0; round < 6; round++)
            {
                await leader.ExecuteAsync("INSERT INTO filler SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 30000) g");
                await leader.ExecuteAsync("CHECKPOINT");
            }

            var written = await leader.ScalarAsync<decimal>("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
            Assert.True(written > 3 * cap, $"wrote only {written} bytes of WAL");
            await Wait.UntilTrueAsync($"slot {slot} to be marked lost", TimeSpan.FromSeconds(60), async () =>
            {
                await leader.ExecuteAsync("CHECKPOINT");
                var status = await leader.ScalarAsync<string>($"SELECT coalesce(wal_status, 'none') FROM pg_replication_slots WHERE slot_name = '{slot}'");
                return status == "lost" ? true : throw new NotYetException($"wal_status = {status}");
            }, output.WriteLine);

            // WAL on the leader stays bounded by the cap, the safety net and a checkpoint's worth of segments.
            var walBytes = await leader.ScalarAsync<decimal>("SELECT sum(size) FROM pg_ls_waldir()");
            var bound = cap + net + (4 * 16 * 1024 * 1024);
            output.WriteLine($"leader pg_wal: {walBytes / 1024 / 1024:0} MB after writing {written / 1024 / 1024:0} MB with the replica stopped (bound {bound / 1024 / 1024} MB)");
            Assert.True(walBytes <= bound, $"pg_wal holds {walBytes} bytes, more than cap + wal_keep_size + 4 segments ({bound})");
        }

        // The replica returns. Its WAL is gone from the leader, so it cannot stream from where it stopped.
        await SlotRecovery.RecoverAsync(cluster, leader, stopped, output.WriteLine);
        await cluster.WaitForStreamingAsync(leader, [stopped.Name], TimeSpan.FromSeconds(120));
        await Wait.UntilTrueAsync($"slot {slot} to reserve WAL again", TimeSpan.FromSeconds(60), async () =>
        {
            var status = await leader.ScalarAsync<string>($"SELECT coalesce(wal_status, 'none') || '/' || active FROM pg_replication_slots WHERE slot_name = '{slot}'");
            return status == "reserved/true" ? true : throw new NotYetException($"wal_status/active = {status}");
        }, output.WriteLine);
        Assert.Equal(await leader.ScalarAsync<long>("SELECT count(*) FROM filler"),
            await Wait.UntilAsync($"{stopped} to hold every row again", TimeSpan.FromSeconds(60), async () =>
            {
                var count = await stopped.ScalarAsync<long>("SELECT count(*) FROM filler");
                return count == 180000 ? (object)count : throw new NotYetException($"{count} rows");
            }));
    }
}
