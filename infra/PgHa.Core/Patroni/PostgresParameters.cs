using System.Collections;

namespace PgHa.Core.Patroni;

/// <summary>
/// PostgreSQL parameters by name, in the order they were given (so the YAML reads in that order). A name appears once:
/// giving it twice in one set is an error; <see cref="With(string, PostgresParameterValue)"/> replaces a value on purpose.
/// </summary>
public sealed class PostgresParameters : IReadOnlyDictionary<string, PostgresParameterValue>
{
    private readonly KeyValuePair<string, PostgresParameterValue>[] _ordered;
    private readonly Dictionary<string, PostgresParameterValue> _byName;

    public PostgresParameters(IEnumerable<KeyValuePair<string, PostgresParameterValue>> parameters)
    {
        _ordered = [.. parameters];
        _byName = new Dictionary<string, PostgresParameterValue>(StringComparer.Ordinal);
        foreach (var (name, value) in _ordered)
        {
            if (!_byName.TryAdd(name, value))
            {
                throw new ArgumentException($"PostgreSQL parameter '{name}' is given twice.", nameof(parameters));
            }
        }
    }

    public static PostgresParameters Empty { get; } = new([]);

    /// <summary>A set from (name, value) pairs: <c>PostgresParameters.Of(("wal_level", "replica"), ("max_wal_senders", 10))</c>.</summary>
    public static PostgresParameters Of(params (string Name, PostgresParameterValue Value)[] parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    /// <summary>This set with <paramref name="name"/> set to <paramref name="value"/>: replaced where it is, or added last.</summary>
    public PostgresParameters With(string name, PostgresParameterValue value) =>
        _byName.ContainsKey(name)
            ? new(_ordered.Select(p => p.Key == name ? KeyValuePair.Create(name, value) : p))
            : new(_ordered.Append(KeyValuePair.Create(name, value)));

    /// <summary>This set with every parameter of <paramref name="more"/> set (later values win).</summary>
    public PostgresParameters With(PostgresParameters more) => more.Aggregate(this, (set, p) => set.With(p.Key, p.Value));

    public PostgresParameterValue this[string key] => _byName[key];

    public IEnumerable<string> Keys => _ordered.Select(p => p.Key);

    public IEnumerable<PostgresParameterValue> Values => _ordered.Select(p => p.Value);

    public int Count => _ordered.Length;

    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    public bool TryGetValue(string key, out PostgresParameterValue value) => _byName.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, PostgresParameterValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, PostgresParameterValue>>)_ordered).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
