using PgHa.Core.Settings;

namespace PgHa.Testing;

/// <summary>
/// Settings as a stack would load them (the shipped defaults), with overrides: what a loopback cluster runs.
/// The keys that only matter on Kubernetes get placeholder values; the Patroni configuration is the real one.
/// </summary>
public static class LoopbackSettings
{
    public static PgHaSettings Load(params (string Key, string Value)[] overrides)
    {
        var config = new Dictionary<string, string>
        {
            ["pgha:namespace"] = "loopback",
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
