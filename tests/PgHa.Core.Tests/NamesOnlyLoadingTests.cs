using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>
/// SettingsLoader.LoadNames: a stack read without its secrets (the pgha command reads the stack file) still yields its
/// names; only the passwords' presence is not required. Every other rule applies as in Load.
/// </summary>
public class NamesOnlyLoadingTests
{
    private static Dictionary<string, string> WithoutPasswords(params (string Key, string? Value)[] changes) => TestConfig.With(
    [
        (ConfigKeys.SuperuserPassword.FullName, null), (ConfigKeys.ReplicationPassword.FullName, null), (ConfigKeys.AppPassword.FullName, null),
        .. changes,
    ]);

    [Fact]
    public void A_stack_without_its_passwords_loads_its_names_but_not_for_a_deployment()
    {
        var config = WithoutPasswords(("pgha:clusterName", "orders"), ("pgha:appUser", "orders_app"), ("pgha:existingReplicationSecret", "repl-creds"));

        var (deployable, errors) = SettingsLoader.TryLoad(new DictionaryStackConfig(config));
        Assert.Null(deployable);
        Assert.Equal(["pgha:appPassword", "pgha:superuserPassword"], errors.Select(e => e.Key).Order());

        var settings = SettingsLoader.LoadNames(new DictionaryStackConfig(config));
        Assert.Equal(("orders", "team-db"), (settings.Cluster.Name, settings.Cluster.Namespace));
        Assert.Equal(new CredentialSource("postgres", ConfigKeys.SuperuserPassword, null), settings.Credentials.Superuser);
        Assert.Equal(new CredentialSource("replicator", null, "repl-creds"), settings.Credentials.Replication);
        Assert.Equal(new CredentialSource("orders_app", ConfigKeys.AppPassword, null), settings.Credentials.App);
    }

    [Fact]
    public void Every_other_problem_is_still_reported()
    {
        var (settings, errors) = SettingsLoader.TryLoadNames(new DictionaryStackConfig(WithoutPasswords(
            ("pgha:replicas", "1"), ("pgha:namespace", null))));
        Assert.Null(settings);
        Assert.Equal(["pgha:namespace", "pgha:replicas"], errors.Select(e => e.Key).Order());
        Assert.Throws<SettingsValidationException>(() => SettingsLoader.LoadNames(new DictionaryStackConfig(WithoutPasswords(("pgha:replicas", "1")))));
    }

    [Fact]
    public void A_password_set_beside_its_existing_secret_is_still_ambiguous()
    {
        var (_, errors) = SettingsLoader.TryLoadNames(new DictionaryStackConfig(TestConfig.With(("pgha:existingAppSecret", "app-creds"))));
        var error = Assert.Single(errors);
        Assert.Equal("pgha:existingAppSecret", error.Key);
    }
}
