using PgHa.Core.Settings;
using Pulumi;

namespace PgHa.Infra;

/// <summary>Stack config through Pulumi's <see cref="Config"/>. Secret keys are only tested for presence.</summary>
internal sealed class PulumiStackConfig : IStackConfig
{
    private readonly Dictionary<string, Config> _namespaces = new(StringComparer.Ordinal);

    public string? Get(string key)
    {
        var (config, name) = Split(key);
        return config.Get(name);
    }

    public bool IsSet(string key)
    {
        var (config, name) = Split(key);
        return config.GetSecret(name) is not null;
    }

    /// <summary>A secret key's value, kept a Pulumi secret end to end.</summary>
    public Output<string> RequireSecret(ConfigKey key)
    {
        var (config, name) = Split(key.FullName);
        return config.RequireSecret(name);
    }

    private (Config Config, string Name) Split(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var ns = key[..colon];
        if (!_namespaces.TryGetValue(ns, out var config))
        {
            config = new Config(ns);
            _namespaces[ns] = config;
        }

        return (config, key[(colon + 1)..]);
    }
}
