using System.Net;
using Npgsql;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PgHa.Cli;
using PgHa.Operations.Patroni;
using PgHa.Testing;

namespace PgHa.Cli.Tests;

/// <summary>
/// Patroni's REST API as the pods run it (HTTPS, <c>verify_client: optional</c>, <c>ctl.insecure</c>), on a real
/// 3-member loopback cluster whose members have their own 127.x addresses and certificates from the stack's own issuer:
/// unsafe calls need a client certificate from the cluster's CA, GETs do not, and pgha (with the operator's
/// certificate) still drives a switchover that needs the members to call each other over HTTPS.
/// </summary>
public sealed class RestApiCertificateTests(ITestOutputHelper output)
{
    private static readonly string[] Target = ["--namespace", "loopback", "--cluster", "pg"];

    private Task<PatroniCluster> StartAsync() =>
        PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine, options: new LoopbackClusterOptions { OwnAddresses = true, RestApiTls = true });

    /// <summary>HTTPS that verifies the member against the cluster's CA but presents no client certificate.</summary>
    private static HttpClient Anonymous(PatroniCluster cluster)
    {
        var ca = X509Certificate2.CreateFromPem(cluster.Certificates!.Issued.CaCertificatePem);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && PatroniHttp.IsMember(ca, certificate);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, PatroniMember member, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(member.RestApi, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{method} {member.Name}{path} -> {(int)response.StatusCode} {body.Trim()}");
        return (response.StatusCode, body);
    }

    [Fact]
    public async Task Unsafe_calls_need_a_client_certificate_from_the_clusters_ca_while_probes_and_metrics_need_none()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        var replica = cluster.Members.First(m => m != leader);
        Assert.Equal("https", leader.RestApi.Scheme);
        using var anonymous = Anonymous(cluster);

        // Probes and Prometheus: no client certificate.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(anonymous, HttpMethod.Get, leader, "/readiness")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(anonymous, HttpMethod.Get, replica, "/liveness")).Status);
        var metrics = await SendAsync(anonymous, HttpMethod.Get, replica, "/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("patroni_postgres_running", metrics.Body, StringComparison.Ordinal);

        // Unsafe calls without one: refused, and nothing changes.
        var switchover = await SendAsync(anonymous, HttpMethod.Post, leader, "/switchover", $"{{\"leader\": \"{leader.Name}\", \"candidate\": \"{replica.Name}\"}}");
        Assert.Equal((HttpStatusCode.Forbidden, "client certificate required"), (switchover.Status, switchover.Body.Trim()));
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(anonymous, HttpMethod.Post, replica, "/restart", "{}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await SendAsync(anonymous, HttpMethod.Patch, leader, "/config", "{\"postgresql\": {\"parameters\": {\"log_min_duration_statement\": 1000}}}")).Status);
        Assert.DoesNotContain("log_min_duration_statement", (await SendAsync(anonymous, HttpMethod.Get, leader, "/config")).Body, StringComparison.Ordinal);
        Assert.Equal(leader, await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30)));

        // A client certificate from another CA: not accepted (the handshake fails or Patroni refuses).
        var stranger = LoopbackClusterCertificates.Write(Directory.CreateTempSubdirectory("pgha-stranger-").FullName);
        using (var foreign = PatroniHttp.Create(stranger.Operator with { CaCertificatePem = cluster.Certificates!.Issued.CaCertificatePem }, TimeSpan.FromSeconds(60)))
        {
            var refused = await Record.ExceptionAsync(async () =>
                Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(foreign, HttpMethod.Patch, leader, "/config", "{\"postgresql\": {\"parameters\": {\"log_min_duration_statement\": 1500}}}")).Status));
            output.WriteLine($"another CA's certificate: {refused?.GetType().Name ?? "403"} {refused?.Message}");
            Assert.True(refused is null or HttpRequestException, $"unexpected: {refused}");
            Directory.Delete(stranger.Directory, recursive: true);
        }

        // The operator's certificate (pgha, the provider): accepted.
        using var asOperator = PatroniHttp.Create(cluster.RestApiCredentials, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK,
            (await SendAsync(asOperator, HttpMethod.Patch, leader, "/config", "{\"postgresql\": {\"parameters\": {\"log_min_duration_statement\": 1000}}}")).Status);
        Assert.Contains("\"log_min_duration_statement\": 1000", (await SendAsync(anonymous, HttpMethod.Get, replica, "/config")).Body, StringComparison.Ordinal);
        // Past the certificate check: Patroni judges the restart itself (none pending).
        var restart = await SendAsync(asOperator, HttpMethod.Post, replica, "/restart", "{\"restart_pending\": true}");
        Assert.NotEqual(HttpStatusCode.Forbidden, restart.Status);
        Assert.Contains("restart conditions are not satisfied", restart.Body, StringComparison.Ordinal);

        // A member's own certificate, as Patroni presents it to the others (POST /failsafe, ...): accepted.
        using var asMember = PatroniHttp.Create(cluster.Certificates.Member, TimeSpan.FromSeconds(60));
        var fromMember = await SendAsync(asMember, HttpMethod.Patch, replica, "/config", "{\"postgresql\": {\"parameters\": {\"log_min_duration_statement\": null}}}");
        Assert.Equal(HttpStatusCode.OK, fromMember.Status);
        // Patroni answers with the configuration it stored.
        Assert.DoesNotContain("log_min_duration_statement", fromMember.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pgha_switches_over_with_the_operator_certificate_and_the_members_reach_each_other_over_https()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        var candidate = cluster.Members.First(m => m != leader);

        // pgha gets the operator's certificate as from its Secret; Patroni's switchover asks the candidate over HTTPS
        // (by address, which is on no certificate: ctl.insecure) before it hands over.
        var result = await CliRun.RunAsync(LoopbackAccess.For(cluster), "", ["switchover", "--to", candidate.Name, "--timeout", "120", .. Target]);
        output.WriteLine($"pgha switchover -> {result}");
        Assert.Equal(PghaCli.Ok, result.ExitCode);
        Assert.Equal(candidate, await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60)));
        await candidate.ExecuteAsync("CREATE TABLE after_https_switchover (id int)");

        // The members called each other over HTTPS and got answers (Patroni logs each fetch of another member's status).
        var logs = string.Join("\n", cluster.Members.Select(m => File.ReadAllText(m.LogPath)));
        Assert.Contains($"Got response from {candidate.Name} https://", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Request failed to", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_store_outage_the_leaders_failsafe_calls_are_accepted_and_the_primary_stays_writable()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await using var cutter = await LinkCutter.CreateAsync(output.WriteLine);
        var patroni = cluster.Settings.Patroni;
        // Past ttl, a loop and a retry: without failsafe_mode (or with its POST /failsafe refused) the leader demotes by then.
        var hold = TimeSpan.FromSeconds(patroni.Ttl + patroni.LoopWait + patroni.RetryTimeout);
        await cutter.IsolateAsync(IPAddress.Parse(cluster.EtcdAddress), cluster.Members.Select(m => IPAddress.Parse(m.Address)));
        var started = DateTimeOffset.UtcNow;
        var failsafeSeen = false;
        while (DateTimeOffset.UtcNow - started < hold)
        {
            Assert.True(await IsWritableAsync(leader), $"{leader.Name} stopped accepting writes {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s into the store outage");
            // Patroni reports failsafe mode active only while every member accepted the leader's POST /failsafe.
            failsafeSeen |= (await leader.GetAsync("/patroni")).Body.Contains("\"failsafe_mode_is_active\": true", StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(failsafeSeen, $"{leader.Name} never reported failsafe_mode_is_active during {hold.TotalSeconds:0}s of store outage");
        var logs = string.Join("\n", cluster.Members.Where(m => m != leader).Select(m => File.ReadAllText(m.LogPath)));
        Assert.DoesNotContain("client certificate required", logs, StringComparison.Ordinal);
        await cutter.HealAsync();
    }

    private static async Task<bool> IsWritableAsync(PatroniMember member)
    {
        try
        {
            await using var connection = new NpgsqlConnection(member.ConnectionString(timeoutSeconds: 2));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection) { CommandTimeout = 3 };
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            return false;
        }
    }
}
