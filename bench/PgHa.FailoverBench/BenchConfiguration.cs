using PgHa.Core.Settings;

namespace PgHa.FailoverBench;

/// <summary>One column of the table: a name and the stack settings whose Patroni configuration it runs.</summary>
internal sealed record BenchConfiguration(string Name, PgHaSettings Settings)
{
    public static BenchConfiguration FromConfig(string name, params (string Key, string Value)[] overrides)
    {
        var config = new Dictionary<string, string>
        {
            ["pgha:namespace"] = "bench",
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

        return new BenchConfiguration(name, SettingsLoader.Load(new DictionaryStackConfig(config)));
    }
}
