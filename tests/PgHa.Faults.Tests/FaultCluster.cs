using System.Net;
using Npgsql;
using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// A three-member loopback cluster whose etcd and members each have an address of their own, a
/// <see cref="LinkCutter"/> for it, and the table the clients write to. Disposing heals every cut first, then
/// stops every process.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    /// <summary>Where clients write: one row per write, its id unique across the scenario's clients.</summary>
    public const string Table = "acks";

    private readonly Action<string> _log;

    private FaultCluster(PatroniCluster cluster, LinkCutter cutter, Action<string> log)
    {
        Cluster = cluster;
        Cutter = cutter;
        _log = log;
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
        try
        {
            var cluster = await PatroniCluster.StartAsync(settings, log: log,
                options: new LoopbackClusterOptions { OwnAddresses = true, BeforeFirstStart = beforeFirstStart });
            var fault = new FaultCluster(cluster, cutter, log);
            try
            {
                var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
                await leader.ExecuteAsync($"CREATE TABLE {Table} (id bigint PRIMARY KEY, client text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");
                log($"fault cluster up: etcd {cluster.EtcdAddress}, {string.Join(", ", cluster.Members.Select(m => $"{m.Name} {m.Address}"))}; {fault.Timings}");
                return fault;
            }
            catch
            {
                await fault.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await cutter.DisposeAsync();
            throw;
        }
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
