using PgHa.Core.Settings;

namespace PgHa.Cli.Tests;

/// <summary>
/// A stack file read by the pgha command: plain values are read, a secret is only known to be there (its ciphertext is
/// never read), and a stack whose passwords are not in the file still names its cluster (SettingsLoader.LoadNames).
/// </summary>
public sealed class StackFileConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgha-stackfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "Pulumi.test.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string Names = """
        config:
          pgha:namespace: team-db
          pgha:clusterName: orders
          pgha:kubeContext: team-cluster
          pgha:platform: generic
          pgha:storageClassName: standard

        """;

    [Fact]
    public void A_secret_is_known_to_be_set_but_its_value_is_never_read()
    {
        var config = StackFileConfig.Load(Write(Names + """
              pgha:appPassword:
                secure: v1:c2VjcmV0LWNpcGhlcnRleHQ=

            """));
        Assert.True(config.IsSet("pgha:appPassword"));
        Assert.Null(config.Get("pgha:appPassword"));
        Assert.False(config.IsSet("pgha:superuserPassword"));
        Assert.Equal("team-db", config.Get("pgha:namespace"));
    }

    [Fact]
    public void A_stack_without_its_passwords_names_its_cluster_and_superuser_secret()
    {
        Write(Names);
        var target = new TargetOptions("test", null, null, null, _dir).Resolve();
        Assert.Equal(("team-db", "orders", "orders-superuser", "team-cluster"), (target.Namespace, target.Cluster, target.SuperuserSecret, target.KubeContext));
    }

    [Fact]
    public void An_existing_superuser_secret_is_the_one_named()
    {
        Write(Names + "  pgha:existingSuperuserSecret: db-admin\n");
        Assert.Equal("db-admin", new TargetOptions("test", null, null, null, _dir).Resolve().SuperuserSecret);
    }

    [Fact]
    public void A_password_in_the_file_beside_its_existing_secret_is_reported_like_pulumi_preview_would()
    {
        Write(Names + """
              pgha:existingSuperuserSecret: db-admin
              pgha:superuserPassword:
                secure: v1:c2VjcmV0LWNpcGhlcnRleHQ=

            """);
        var e = Assert.Throws<CliUsageException>(() => new TargetOptions("test", null, null, null, _dir).Resolve());
        Assert.Contains("pgha:existingSuperuserSecret = \"db-admin\": pgha:superuserPassword is set too", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_is_still_reported_with_its_key_and_fix()
    {
        Write(Names.Replace("pgha:clusterName: orders", "pgha:clusterName: Orders_DB", StringComparison.Ordinal));
        var e = Assert.Throws<CliUsageException>(() => new TargetOptions("test", null, null, null, _dir).Resolve());
        Assert.Contains("pgha:clusterName = \"Orders_DB\"", e.Message, StringComparison.Ordinal);
        Assert.Contains(ConfigKeys.ClusterName.SetCommand("pg-ha"), e.Message, StringComparison.Ordinal);
    }
}
