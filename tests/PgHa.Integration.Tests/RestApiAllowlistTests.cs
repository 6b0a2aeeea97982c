using System.Net;
using System.Text;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// Patroni's REST API with the pods' allowlist, each member on its own loopback address as pods have their own IPs:
/// a client that is neither a member nor the pod's loopback (where pgha and the provider arrive through port-forwarding)
/// cannot switch over, restart or reconfigure; the loopback and the members can; the read-only endpoints the probes
/// and Prometheus use answer anyone.
/// </summary>
public sealed class RestApiAllowlistTests(ITestOutputHelper output)
{
    // Patroni answers an accepted switchover or restart only once it is done.
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Unsafe_calls_are_refused_from_a_stranger_and_accepted_from_loopback_and_members_while_reads_answer_anyone()
    {
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine,
            options: new LoopbackClusterOptions { OwnAddresses = true });
        var leader = await cluster.WaitForHealthyAsync(PatroniCluster.BootstrapTimeout);
        var replicas = cluster.Members.Where(m => m != leader).ToArray();
        Assert.All(cluster.Members, m => Assert.NotEqual("127.0.0.1", m.Address));
        // Neither 127.0.0.1 nor a member: a client address of the cluster's own block (another pod, say).
        var strangerAddress = cluster.Addresses!.Client(0);

        using var stranger = SourceBoundHttp.Create(strangerAddress, ActionTimeout);
        using var loopback = SourceBoundHttp.Create(IPAddress.Loopback, ActionTimeout);
        using var member = SourceBoundHttp.Create(IPAddress.Parse(replicas[1].Address), ActionTimeout);

        // Reads answer anyone: the kubelet's probes, Prometheus, the backup election's role check. (A replica's
        // /readiness may answer 503 for a moment after it joins: waited for, but a 403 ends the wait at once.)
        foreach (var m in cluster.Members)
        {
            foreach (var path in new[] { "/liveness", "/readiness", "/patroni", "/cluster" })
            {
                await Wait.UntilTrueAsync($"GET {path} on {m.Name} from {strangerAddress} to answer 200", TimeSpan.FromSeconds(60), async () =>
                {
                    var (status, body) = await SendAsync(stranger, HttpMethod.Get, m, path);
                    return status switch
                    {
                        HttpStatusCode.OK => true,
                        HttpStatusCode.Forbidden => throw new FatalWaitException($"GET {path} on {m.Name} from {strangerAddress} refused: 403 {body}"),
                        _ => throw new NotYetException($"{(int)status} {body}"),
                    };
                }, output.WriteLine);
            }
        }

        // Refused from the stranger, and nothing happened.
        var postmaster = replicas[0].PostmasterPid;
        await AssertRefusedAsync(stranger, HttpMethod.Patch, leader, "/config", """{"postgresql":{"parameters":{"work_mem":"7MB"}}}""");
        await AssertRefusedAsync(stranger, HttpMethod.Post, replicas[0], "/restart", "{}");
        await AssertRefusedAsync(stranger, HttpMethod.Post, leader, "/switchover", Switchover(leader, replicas[0]));
        Assert.DoesNotContain("7MB", (await SendAsync(loopback, HttpMethod.Get, leader, "/config")).Body, StringComparison.Ordinal);
        Assert.Equal(postmaster, replicas[0].PostmasterPid);
        Assert.Equal(leader.Name, Assert.Single((await cluster.GetStatusAsync())!.Leaders).Name);

        // Accepted from the pod's loopback (where a port-forward arrives).
        await AssertAcceptedAsync(loopback, HttpMethod.Patch, leader, "/config", """{"postgresql":{"parameters":{"work_mem":"7MB"}}}""");
        Assert.Contains("7MB", (await SendAsync(loopback, HttpMethod.Get, leader, "/config")).Body, StringComparison.Ordinal);
        await AssertAcceptedAsync(loopback, HttpMethod.Post, replicas[0], "/restart", "{}");
        Assert.NotEqual(postmaster, replicas[0].PostmasterPid);
        await cluster.WaitForStreamingAsync(leader, replicas.Select(r => r.Name).ToArray(), PatroniCluster.BootstrapTimeout);

        // Accepted from a member's own address (Patroni finds it among the members' api_url in the store).
        await AssertAcceptedAsync(member, HttpMethod.Post, leader, "/switchover", Switchover(leader, replicas[0]));
        await cluster.WaitForLeaderAsync($"{replicas[0].Name} to lead after the switchover", PatroniCluster.BootstrapTimeout, other: leader);
        Assert.Equal(replicas[0].Name, Assert.Single((await cluster.GetStatusAsync())!.Leaders).Name);
    }

    private static string Switchover(PatroniMember leader, PatroniMember candidate) =>
        $$"""{"leader":"{{leader.Name}}","candidate":"{{candidate.Name}}"}""";

    private async Task AssertRefusedAsync(HttpClient client, HttpMethod method, PatroniMember target, string path, string json)
    {
        var (status, body) = await SendAsync(client, method, target, path, json);
        output.WriteLine($"{method} {path} on {target.Name} from the stranger: {(int)status} {body}");
        Assert.True(status == HttpStatusCode.Forbidden, $"{method} {path} on {target.Name} from the stranger: expected 403, got {(int)status} {body}");
    }

    private async Task AssertAcceptedAsync(HttpClient client, HttpMethod method, PatroniMember target, string path, string json)
    {
        var (status, body) = await SendAsync(client, method, target, path, json);
        output.WriteLine($"{method} {path} on {target.Name}: {(int)status} {body}");
        Assert.True(status == HttpStatusCode.OK, $"{method} {path} on {target.Name}: expected 200, got {(int)status} {body}");
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, PatroniMember target, string path,
        string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(target.RestApi, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
