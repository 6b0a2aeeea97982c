using PgHa.Core.Settings;

namespace PgHa.Integration.Tests;

/// <summary>Settings as a stack would load them: the shipped defaults, with a test's overrides.</summary>
internal static class TestSettings
{
    public static PgHaSettings Shipped(params (string Key, string Value)[] overrides)
    {
        var config = new Dictionary<string, string>
        {
            ["pgha:namespace"] = "integration",
            ["pgha:kubeContext"] = "none",
            ["pgha:platform"] = "generic",
            ["pgha:storageClassName"] = "standard",
            ["pgha:superuserPassword"] = "set",
            ["pgha:replicationPassword"] = "set",
            ["pgha:appPassword"] = "set",
        };
        foreach (var (key, value) in overrides)
        {
            config[key] = value;
        }

        return SettingsLoader.Load(new DictionaryStackConfig(config));
    }
}
