using System.Net;
using Npgsql;
using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// A three-member loopback cluster whose etcd and members each have an address of their own (checked when it starts:
/// each replica streams from its member's address and each member's Patroni talks to etcd from it), and a
/// <see cref="LinkCutter"/> for it. Disposing heals every cut first, then stops every process.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private static int _tables;

    private FaultCluster(PatroniCluster cluster, LinkCutter cutter)
    {
        Cluster = cluster;
        Cutter = cutter;
        Timings = FaultTimings.From(cluster.Settings.Patroni);
    }

    public PatroniCluster Cluster { get; }
    public LinkCutter Cutter { get; }
    public FaultTimings Timings { get; }
    public IReadOnlyList<PatroniMember> Members => Cluster.Members;
    public LoopbackAddressBlock Addresses => Cluster.Addresses!;
    public IPAddress Etcd => IPAddress.Parse(Cluster.EtcdAddress);

    public static IPAddress AddressOf(PatroniMember member) => IPAddress.Parse(member.Address);

    /// <summary>Client <paramref name="index"/>'s own address.</summary>
    public IPAddress Client(int index) => Addresses.Client(index);

    public IReadOnlyList<PatroniMember> Others(PatroniMember member) => Members.Where(m => m != member).ToArray();

    public PatroniMember Member(string name) => Cluster.Member(name);

    public static async Task<FaultCluster> StartAsync(PgHaSettings settings, Action<string> log, Func<PatroniMember, Task>? beforeFirstStart = null)
    {
        // The cutter first: it refuses to start (or removes a dead run's table) before any process runs.
        var cutter = await LinkCutter.CreateAsync(log);
        PatroniCluster cluster;
        try
        {
            cluster = await PatroniCluster.StartAsync(settings, log: log,
                options: new LoopbackClusterOptions { OwnAddresses = true, BeforeFirstStart = beforeFirstStart });
        }
        catch
        {
            await cutter.DisposeAsync();
            throw;
        }

        var fault = new FaultCluster(cluster, cutter);
        try
        {
            var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
            await fault.CheckOwnAddressesAsync(leader);
            log($"fault cluster up: etcd {cluster.EtcdAddress}, {string.Join(", ", cluster.Members.Select(m => $"{m.Name} {m.Address}"))}; {fault.Timings}");
            return fault;
        }
        catch
        {
            await fault.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The harness's premise, checked on every cluster: each replica's walreceiver connects from its member's address
    /// (pg_stat_replication.client_addr), and each member's Patroni holds a connection to etcd from its member's address.
    /// </summary>
    private async Task CheckOwnAddressesAsync(PatroniMember leader)
    {
        await Wait.UntilTrueAsync("each replica to stream from its own address and each member to reach etcd from its own", TimeSpan.FromSeconds(30), async () =>
        {
            await using var connection = await leader.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT application_name || '=' || host(client_addr) FROM pg_stat_replication WHERE application_name LIKE 'pg-%'", connection);
            var seen = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    seen.Add(reader.GetString(0));
                }
            }

            var expected = Others(leader).Select(m => $"{m.Name}={m.Address}").ToArray();
            if (!expected.All(seen.Contains))
            {
                throw new NotYetException($"pg_stat_replication shows {string.Join(", ", seen)}; expected {string.Join(", ", expected)}");
            }

            var port = Cluster.EtcdHostPort[(Cluster.EtcdHostPort.LastIndexOf(':') + 1)..];
            var listing = await OsProcess.RunAsync("ss", ["-tnH", "state", "established", "dst", Cluster.EtcdHostPort], TimeSpan.FromSeconds(10));
            var sources = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(words => words.Length >= 4)
                .Select(words => words[^2][..words[^2].LastIndexOf(':')])
                .ToHashSet();
            var missing = Members.Where(m => !sources.Contains(m.Address)).Select(m => m.Name).ToArray();
            return missing.Length == 0
                ? true
                : throw new NotYetException($"no connection to etcd (port {port}) from the address of {string.Join(", ", missing)}; sources seen: {string.Join(", ", sources)}");
        });
    }

    /// <summary>A new table for one round's writes (ids unique across the round's clients), on the current leader.</summary>
    public async Task<string> NewTableAsync(TimeSpan bound)
    {
        var table = $"acks_{Interlocked.Increment(ref _tables)}";
        var leader = await Cluster.WaitForLeaderAsync("a leader to create the test's table on", bound);
        await leader.ExecuteAsync($"CREATE TABLE {table} (id bigint PRIMARY KEY, client text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        return table;
    }

    /// <summary>
    /// Sets synchronous_mode and failsafe_mode in the cluster's dynamic configuration (what <c>patronictl edit-config</c>
    /// does) and waits until every member reports both.
    /// </summary>
    public async Task ConfigureAsync(bool synchronous, bool failsafe, Action<string> log)
    {
        var leader = await Cluster.WaitForLeaderAsync("a leader to configure", Timings.Converge);
        var json = $$"""{"synchronous_mode": {{Json(synchronous)}}, "failsafe_mode": {{Json(failsafe)}}}""";
        var (status, body) = await leader.PatchAsync("/config", json);
        Assert.True((int)status == 200, $"PATCH /config {json} refused ({(int)status}): {body}");
        await Wait.UntilTrueAsync($"every member to report {json}", TimeSpan.FromSeconds(30), async () =>
        {
            foreach (var member in Members)
            {
                var (code, config) = await member.GetAsync("/config");
                if ((int)code != 200 || !config.Contains($"\"synchronous_mode\": {Json(synchronous)}", StringComparison.Ordinal)
                    || !config.Contains($"\"failsafe_mode\": {Json(failsafe)}", StringComparison.Ordinal))
                {
                    throw new NotYetException($"{member}: {(int)code} {config}");
                }
            }

            return true;
        }, log);
        log($"dynamic configuration: synchronous_mode {Json(synchronous)}, failsafe_mode {Json(failsafe)}");
    }

    private static string Json(bool value) => value ? "true" : "false";

    /// <summary>
    /// Sets max_slot_wal_keep_size and wal_keep_size through the dynamic configuration (both take effect on reload) and
    /// waits until every member's PostgreSQL reports them.
    /// </summary>
    public async Task SetWalRetentionAsync(string maxSlotWalKeepSize, string walKeepSize, Action<string> log)
    {
        var leader = await Cluster.WaitForLeaderAsync("a leader to configure", Timings.Converge);
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["postgresql"] = new Dictionary<string, object>
            {
                ["parameters"] = new Dictionary<string, string> { ["max_slot_wal_keep_size"] = maxSlotWalKeepSize, ["wal_keep_size"] = walKeepSize },
            },
        });
        var (status, body) = await leader.PatchAsync("/config", json);
        Assert.True((int)status == 200, $"PATCH /config {json} refused ({(int)status}): {body}");
        await Wait.UntilTrueAsync($"every member to run with max_slot_wal_keep_size {maxSlotWalKeepSize}, wal_keep_size {walKeepSize}", TimeSpan.FromSeconds(60), async () =>
        {
            foreach (var member in Members)
            {
                var seen = await member.ScalarAsync<string>("SELECT current_setting('max_slot_wal_keep_size') || ' ' || current_setting('wal_keep_size')");
                if (seen != $"{maxSlotWalKeepSize} {walKeepSize}")
                {
                    throw new NotYetException($"{member}: {seen}");
                }
            }

            return true;
        }, log);
        log($"WAL retention: max_slot_wal_keep_size {maxSlotWalKeepSize}, wal_keep_size {walKeepSize}");
    }

    /// <summary>Whether the member accepts writes right now, as the test (on 127.0.0.1, never cut) sees it.</summary>
    public static async Task<bool> IsWritableAsync(PatroniMember member)
    {
        try
        {
            await using var connection = new NpgsqlConnection(member.ConnectionString(timeoutSeconds: 1));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection) { CommandTimeout = 2 };
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// One primary and every other member streaming from it (all members must be running), within
    /// <paramref name="bound"/>; returns the primary. Asks only <paramref name="askFrom"/> when given.
    /// </summary>
    public async Task<PatroniMember> WaitConvergedAsync(TimeSpan bound, IReadOnlyCollection<PatroniMember>? askFrom = null)
    {
        var leader = await Cluster.WaitForLeaderAsync("one leader that accepts writes", bound, askFrom: askFrom);
        await Cluster.WaitForStreamingAsync(leader, Others(leader).Select(m => m.Name).ToArray(), bound);
        var writable = new List<string>();
        foreach (var member in Members)
        {
            if (await IsWritableAsync(member))
            {
                writable.Add(member.Name);
            }
        }

        Assert.True(writable.SequenceEqual([leader.Name]), $"exactly one member may accept writes, {leader.Name}; writable: {string.Join(", ", writable)}");
        return leader;
    }

    /// <summary>
    /// Marks the moment up to which every acknowledged write is on every replica: the mark is taken first, then the
    /// leader's WAL position, then each replica must replay up to it. A write acknowledged before the mark can never be
    /// lost legitimately, even asynchronously.
    /// </summary>
    public static async Task<TimeSpan> MarkReplicatedAsync(WriteLedger ledger, PatroniMember leader, IEnumerable<PatroniMember> replicas, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var mark = ledger.Mark("every earlier acknowledgement replicated");
        foreach (var replica in replicas)
        {
            await WaitCaughtUpAsync(leader, replica, bound);
        }

        return mark;
    }

    /// <summary>Waits until <paramref name="replica"/> has replayed everything <paramref name="leader"/> has written so far.</summary>
    public static async Task WaitCaughtUpAsync(PatroniMember leader, PatroniMember replica, TimeSpan bound)
    {
        var lsn = await leader.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        await Wait.UntilTrueAsync($"{replica} to replay up to {lsn} of {leader}", bound, async () =>
        {
            var replayed = await replica.ScalarAsync<string>("SELECT coalesce(pg_last_wal_replay_lsn()::text, 'none')");
            return await replica.ScalarAsync<bool>($"SELECT pg_last_wal_replay_lsn() >= '{lsn}'")
                ? true
                : throw new NotYetException($"{replica} replayed up to {replayed}");
        });
    }

    /// <summary>
    /// A planned switchover through the leader's REST API (what <c>patronictl switchover</c> does). Patroni answers once
    /// the switchover is done, which under load in synchronous mode takes longer than the harness's 3-second REST timeout.
    /// </summary>
    public static async Task SwitchoverAsync(PatroniMember leader, PatroniMember candidate, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = timeout };
        using var content = new StringContent($$"""{"leader":"{{leader.Name}}","candidate":"{{candidate.Name}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(leader.RestApi, "/switchover"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"switchover {leader} -> {candidate} refused ({(int)response.StatusCode}): {body}");
    }

    /// <summary>Heals every cut, then stops every process (both even when one fails).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cutter.DisposeAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
        }
    }
}
