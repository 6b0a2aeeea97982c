using PgHa.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace PgHa.Cli;

/// <summary>
/// A <c>Pulumi.&lt;stack&gt;.yaml</c> read for names only. Secrets are never read from it (the command takes the
/// superuser's credentials from the cluster's Secret), so a password key counts as set unless an existing Secret
/// replaces it, which is what the stack itself requires.
/// </summary>
internal sealed class StackFileConfig : IStackConfig
{
    private readonly Dictionary<string, string> _values;

    private StackFileConfig(Dictionary<string, string> values) => _values = values;

    public static StackFileConfig Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out var config) && config is YamlMappingNode entries)
        {
            foreach (var (key, value) in entries.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
                {
                    values[name] = text;
                }
            }
        }

        return new StackFileConfig(values);
    }

    public string? Get(string key) => _values.GetValueOrDefault(key);

    public bool IsSet(string key) => _values.ContainsKey(key) || IsPasswordWithoutExistingSecret(key);

    private bool IsPasswordWithoutExistingSecret(string key)
    {
        var pairs = new Dictionary<string, ConfigKey>
        {
            [ConfigKeys.SuperuserPassword.FullName] = ConfigKeys.ExistingSuperuserSecret,
            [ConfigKeys.ReplicationPassword.FullName] = ConfigKeys.ExistingReplicationSecret,
            [ConfigKeys.AppPassword.FullName] = ConfigKeys.ExistingAppSecret,
        };
        return pairs.TryGetValue(key, out var existing) && !_values.ContainsKey(existing.FullName);
    }
}
