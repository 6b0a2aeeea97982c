using System.Net;
using System.Net.Sockets;
using Npgsql;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// The harness under the scenarios: each member's processes really connect from the member's own address, a client
/// relay really puts a client on its own address, and a cut drops exactly the link it names (and heals).
/// </summary>
public sealed class LoopbackIsolationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Members_connect_from_their_own_addresses_and_a_cut_drops_exactly_the_named_link()
    {
        await using var fault = await FaultCluster.StartAsync(LoopbackSettings.Load(), output.WriteLine);
        var leader = await fault.WaitConvergedAsync(TimeSpan.FromSeconds(60));

        // Replication: each replica's walreceiver (libpq) connects from its member's address.
        await using (var connection = await leader.OpenAsync())
        await using (var command = new NpgsqlCommand("SELECT application_name, host(client_addr) FROM pg_stat_replication WHERE application_name LIKE 'pg-%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var seen = new Dictionary<string, string>();
            while (await reader.ReadAsync())
            {
                seen[reader.GetString(0)] = reader.GetString(1);
            }

            foreach (var replica in fault.Others(leader))
            {
                Assert.True(seen.TryGetValue(replica.Name, out var address) && address == replica.Address,
                    $"{replica.Name} must stream from its own address {replica.Address}; pg_stat_replication shows {string.Join(", ", seen.Select(kv => $"{kv.Key}={kv.Value}"))}");
            }
        }

        // The store: every member's Patroni (Python) talks to etcd from its member's address.
        var etcdPort = int.Parse(fault.Cluster.EtcdHostPort.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var sources = await ConnectionSourcesAsync(fault.Etcd, etcdPort);
        foreach (var member in fault.Members)
        {
            Assert.Contains(member.Address, sources);
        }

        // A client on its own address reaches the leader; once its link to the leader is cut it cannot, while a second
        // client on another address still can; after healing the first one can again.
        var target = new IPEndPoint(FaultCluster.AddressOf(leader), leader.PostgresPort);
        await using var cutOff = ClientRelay.Start(fault.Client(0), target);
        await using var untouched = ClientRelay.Start(fault.Client(1), target);
        Assert.True(await CanQueryAsync(leader, cutOff), "the first client must reach the leader before the cut");
        await fault.Cutter.CutAsync(fault.Client(0), FaultCluster.AddressOf(leader));
        Assert.False(await CanQueryAsync(leader, cutOff), "the first client must not reach the leader while its link is cut");
        Assert.True(await CanQueryAsync(leader, untouched), "a client on another address must still reach the leader");
        Assert.True(await fault.Cutter.DroppedPacketsAsync() > 0, "the cut's rule must have dropped the first client's packets");
        await fault.Cutter.HealAsync();
        Assert.True(await CanQueryAsync(leader, cutOff), "the first client must reach the leader again after healing");
    }

    private static async Task<bool> CanQueryAsync(PatroniMember member, ClientRelay relay)
    {
        var builder = new NpgsqlConnectionStringBuilder(member.ConnectionString(timeoutSeconds: 2)) { Host = "127.0.0.1", Port = relay.Port };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT inet_client_addr()::text", connection);
            var client = (string)(await command.ExecuteScalarAsync())!;
            // The server sees the relay's own address, never 127.0.0.1.
            return client.StartsWith(relay.Source.ToString(), StringComparison.Ordinal)
                ? true
                : throw new InvalidOperationException($"the server saw the client at {client}, not at {relay.Source}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or SocketException)
        {
            return false;
        }
    }

    /// <summary>The local addresses of the established TCP connections to <paramref name="address"/>:<paramref name="port"/> (ss).</summary>
    private static async Task<IReadOnlyList<string>> ConnectionSourcesAsync(IPAddress address, int port)
    {
        var listing = await OsProcess.RunAsync("ss", ["-tnH", "state", "established", "dst", $"{address}:{port}"], TimeSpan.FromSeconds(10));
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length >= 4)
            .Select(words => words[^2][..words[^2].LastIndexOf(':')])
            .Distinct()
            .ToArray();
    }
}
