namespace PgHa.Core.Settings;

/// <summary>
/// Read access to stack config by full key name (<c>pgha:replicas</c>, <c>aws:region</c>).
/// Secret keys are only ever asked whether they are set: their values never pass through Core.
/// </summary>
public interface IStackConfig
{
    /// <summary>The plain value of a non-secret key, or null when it is not set.</summary>
    string? Get(string key);

    /// <summary>Whether a key (secret or not) has a value.</summary>
    bool IsSet(string key);
}

/// <summary>Stack config held in a dictionary: for tests and for tools that parse a Pulumi.&lt;stack&gt;.yaml.</summary>
public sealed class DictionaryStackConfig(IReadOnlyDictionary<string, string> values) : IStackConfig
{
    public string? Get(string key) => values.TryGetValue(key, out var v) ? v : null;

    public bool IsSet(string key) => values.ContainsKey(key);

    /// <summary>A copy of <paramref name="basis"/> with <paramref name="changes"/> applied: a value sets the key, null removes it.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> basis, params (string Key, string? Value)[] changes)
    {
        var config = new Dictionary<string, string>(basis);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                config.Remove(key);
            }
            else
            {
                config[key] = value;
            }
        }

        return config;
    }
}
