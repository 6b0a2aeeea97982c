using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>A valid minimal stack config, to which each test adds or removes keys.</summary>
internal static class TestConfig
{
    public const string SecretValue = "s3cr3t-Value-that-must-never-show";

    public static Dictionary<string, string> Valid() => new()
    {
        ["pgha:namespace"] = "team-db",
        ["pgha:kubeContext"] = "dev-cluster",
        ["aws:region"] = "eu-central-1",
        ["pgha:superuserPassword"] = SecretValue,
        ["pgha:replicationPassword"] = SecretValue,
        ["pgha:appPassword"] = SecretValue,
    };

    public static Dictionary<string, string> With(params (string Key, string? Value)[] changes) => DictionaryStackConfig.With(Valid(), changes);

    public static (PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) Load(Dictionary<string, string> config) =>
        SettingsLoader.TryLoad(new DictionaryStackConfig(config));

    public static PgHaSettings LoadValid(params (string Key, string? Value)[] changes)
    {
        var (settings, errors) = Load(With(changes));
        Assert.Empty(errors);
        return settings!;
    }

    /// <summary>The single error a config produces, asserted to name <paramref name="key"/>.</summary>
    public static ConfigError SingleError(string key, params (string Key, string? Value)[] changes)
    {
        var (settings, errors) = Load(With(changes));
        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.Equal(key, error.Key);
        return error;
    }
}
