using Npgsql;
using PgHa.Core.Tls;
using PgHa.Core.Verification;
using PgHa.Operations.Postgres;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// A real PostgreSQL serving the certificate the stack issues (ClusterCertificateIssuer, names from ClusterTlsNames), and
/// libpq's psql with sslmode=verify-full: <c>host</c> is the name checked against the certificate while <c>hostaddr</c>
/// (127.0.0.1) is where it connects, as a client in the cluster reaches a Service's or member's address by its name.
/// </summary>
public sealed class TlsVerificationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly IReadOnlyList<string> Names = ClusterTlsNames.For("orders", "team-db", 3);

    private LoopbackPostgres _server = null!;
    private string _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackPostgres.StartAsync(output.WriteLine);
        var issued = ClusterCertificateIssuer.Issue(ClusterTls.CommonName("team-db", "orders"), Names, CertificateLifetime.Default, DateTimeOffset.UtcNow);

        _client = HarnessRun.Current.CreateDirectory("tls-client-", forPostgres: false);
        await File.WriteAllTextAsync(Path.Combine(_client, "ca.crt"), issued.CaCertificatePem);
        var other = ClusterCertificateIssuer.Issue("someone else", Names, CertificateLifetime.Default, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(_client, "other-ca.crt"), other.CaCertificatePem);
        var passfile = Path.Combine(_client, "pgpass");
        await File.WriteAllTextAsync(passfile, $"*:*:*:postgres:{_server.Password}\n");
        File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // TLS on by a reload, as Spilo's cron reloads a renewed certificate.
        await _server.InstallCertificateAsync(issued);
        await _server.ExecuteAsync("SELECT pg_reload_conf()");
        await Wait.UntilTrueAsync("PostgreSQL to serve TLS after the reload", TimeSpan.FromSeconds(60),
            async () => await _server.ScalarAsync<string>("SHOW ssl") == "on", output.WriteLine);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (_client is not null && Directory.Exists(_client) && !HarnessRun.KeepDirectories)
        {
            Directory.Delete(_client, recursive: true);
        }
    }

    private Task<(int ExitCode, string Output)> PsqlAsync(string host, string rootCertificate = "ca.crt") => OsProcess.ExecuteAsync("psql",
    [
        $"host={host} hostaddr=127.0.0.1 port={_server.Port} user=postgres dbname=postgres sslmode=verify-full " +
        $"sslrootcert={Path.Combine(_client, rootCertificate)} passfile={Path.Combine(_client, "pgpass")} connect_timeout=10",
        "-tAc", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    ], TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_verifying_client_connects_by_every_service_and_member_name()
    {
        Assert.Equal(24, Names.Count);
        foreach (var name in Names)
        {
            var (exitCode, result) = await PsqlAsync(name);
            Assert.True(exitCode == 0, $"psql to {name} exited {exitCode}: {result}");
            Assert.Equal("t", result.Trim());
        }
    }

    [Fact]
    public async Task A_verifying_client_refuses_a_name_not_on_the_certificate_and_a_server_another_CA_vouches_for()
    {
        foreach (var name in new[] { "orders-3.orders-headless.team-db.svc.cluster.local", "orders.other-namespace.svc.cluster.local", "localhost" })
        {
            var (exitCode, result) = await PsqlAsync(name);
            Assert.True(exitCode != 0, $"psql to {name} should be refused: {result}");
            Assert.Contains($"does not match host name \"{name}\"", result, StringComparison.Ordinal);
        }

        var (code, message) = await PsqlAsync("orders.team-db.svc.cluster.local", "other-ca.crt");
        Assert.True(code != 0, $"a server certified by another CA should be refused: {message}");
        Assert.Contains("certificate verify failed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verifiers_connection_checks_the_members_name_and_CA_while_connecting_to_127_0_0_1()
    {
        // As through a port-forward: the address is 127.0.0.1, the name checked is the member's pod DNS name.
        var ca = await File.ReadAllTextAsync(Path.Combine(_client, "ca.crt"));
        var otherCa = await File.ReadAllTextAsync(Path.Combine(_client, "other-ca.crt"));
        var member = ClusterTlsNames.Member("orders-1", "orders-headless", "team-db");
        var credentials = new VerifierCredentials("postgres", _server.Password, ca);

        await using (var connection = MemberConnection.Create(new MemberEndpoint("orders-1", "127.0.0.1", _server.Port, member), credentials))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
            Assert.True((bool)(await command.ExecuteScalarAsync())!);
        }

        var stranger = ClusterTlsNames.Member("orders-3", "orders-headless", "team-db");
        await using (var refused = MemberConnection.Create(new MemberEndpoint("orders-3", "127.0.0.1", _server.Port, stranger), credentials))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => refused.OpenAsync());
        }

        await using (var refused = MemberConnection.Create(new MemberEndpoint("orders-1", "127.0.0.1", _server.Port, member), credentials with { ServerCa = otherCa }))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => refused.OpenAsync());
        }

        // Without a CA: TLS, not verified (what a cluster whose CA the check does not know gets).
        await using var unverified = MemberConnection.Create(new MemberEndpoint("orders-3", "127.0.0.1", _server.Port, stranger), credentials with { ServerCa = null });
        await unverified.OpenAsync();
    }
}
