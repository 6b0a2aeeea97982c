using PgHa.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace PgHa.Cli;

/// <summary>
/// A <c>Pulumi.&lt;stack&gt;.yaml</c> as it is on disk. Plain values are read; a secret (<c>secure: v1:…</c>) is only
/// known to be there, its value is never read (the command takes the superuser's credentials from the cluster's
/// Secret). Load settings from it with <see cref="SettingsLoader.LoadNames"/>: a stack whose passwords live elsewhere
/// (a stack file without them, e.g. in CI) still names its cluster.
/// </summary>
internal sealed class StackFileConfig : IStackConfig
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _secrets;

    private StackFileConfig(Dictionary<string, string> values, HashSet<string> secrets)
    {
        _values = values;
        _secrets = secrets;
    }

    public static StackFileConfig Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out var config) && config is YamlMappingNode entries)
        {
            foreach (var (key, value) in entries.Children)
            {
                if (key is not YamlScalarNode { Value: { } name })
                {
                    continue;
                }

                if (value is YamlScalarNode { Value: { } text })
                {
                    values[name] = text;
                }
                else if (value is YamlMappingNode secret && secret.Children.ContainsKey(new YamlScalarNode("secure")))
                {
                    secrets.Add(name);
                }
            }
        }

        return new StackFileConfig(values, secrets);
    }

    public string? Get(string key) => _values.GetValueOrDefault(key);

    public bool IsSet(string key) => _values.ContainsKey(key) || _secrets.Contains(key);
}
