using PgHa.Core.Bootstrap;
using PgHa.Core.Patroni;

namespace PgHa.Core.Tests;

public class AppDatabaseBootstrapTests
{
    [Fact]
    public void Password_reaches_psql_only_through_the_environment()
    {
        var script = AppDatabaseBootstrap.Script(300);
        Assert.Contains(@"\getenv app_password APP_PASSWORD", script, StringComparison.Ordinal);
        Assert.Contains(@"\getenv monitoring_password MONITORING_PASSWORD", script, StringComparison.Ordinal);
        Assert.DoesNotContain("$APP_PASSWORD", script, StringComparison.Ordinal);
        Assert.DoesNotContain("$MONITORING_PASSWORD", script, StringComparison.Ordinal);
        Assert.Contains("SET log_statement = 'none'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_wait_for_the_primary_is_bounded_and_says_what_it_waits_for()
    {
        var script = AppDatabaseBootstrap.Script(300);
        Assert.Contains("deadline=$((SECONDS + 300))", script, StringComparison.Ordinal);
        Assert.Contains("gave up after 300s: the primary", script, StringComparison.Ordinal);
        Assert.Contains("waiting for the primary", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Job_environment_uses_tls_the_primary_and_secret_references()
    {
        var env = AppDatabaseBootstrap.Environment("db.ns.svc.cluster.local", "app_db", new CredentialSecretNames("su", "rep", "app", "mon"))
            .ToDictionary(v => v.Name);
        Assert.Equal("require", env["PGSSLMODE"].Value);
        Assert.Equal("read-write", env["PGTARGETSESSIONATTRS"].Value);
        Assert.Equal(new SecretKeyRef("su", "password"), env["PGPASSWORD"].Secret);
        Assert.Equal(new SecretKeyRef("app", "password"), env["APP_PASSWORD"].Secret);
        Assert.Equal("app_db", env["APP_DATABASE"].Value);
        Assert.Equal(new SecretKeyRef("mon", "username"), env["MONITORING_USER"].Secret);
        Assert.Equal(new SecretKeyRef("mon", "password"), env["MONITORING_PASSWORD"].Secret);
    }
}
