using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PgHaInfra.Tests;

/// <summary>
/// Recorded inputs as the engine compares them: a canonical text of any subtree (map keys sorted), a value at a
/// Pulumi property path (<c>spec.volumeClaimTemplates[0].spec</c>), and a tree with some paths kept at older values,
/// as the engine does for a resource's ignoreChanges before its provider diffs.
/// </summary>
public static class RecordedTree
{
    /// <summary>A text equal for equal trees, whatever order their maps hold their keys in.</summary>
    public static string Canonical(object? value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return text.ToString();
    }

    public static object? At(object? root, string path)
    {
        foreach (var step in Steps(path))
        {
            root = (step, root) switch
            {
                (string key, ImmutableDictionary<string, object> map) => map.GetValueOrDefault(key),
                (int index, ImmutableArray<object> list) => index < list.Length ? list[index] : null,
                _ => null,
            };
        }

        return root;
    }

    /// <summary><paramref name="inputs"/> with the value at each of <paramref name="paths"/> taken from <paramref name="old"/>.</summary>
    public static ImmutableDictionary<string, object> WithOldValues(ImmutableDictionary<string, object> inputs, ImmutableDictionary<string, object> old,
        IEnumerable<string> paths) =>
        paths.Aggregate(inputs, (tree, path) => (ImmutableDictionary<string, object>)Set(tree, Steps(path), At(old, path)));

    private static object Set(object node, IReadOnlyList<object> steps, object? value)
    {
        if (steps.Count == 0)
        {
            return value!;
        }

        var rest = steps.Skip(1).ToArray();
        switch (steps[0], node)
        {
            case (string key, ImmutableDictionary<string, object> map) when rest.Length == 0:
                return value is null ? map.Remove(key) : map.SetItem(key, value);
            case (string key, ImmutableDictionary<string, object> map) when map.TryGetValue(key, out var child):
                return map.SetItem(key, Set(child, rest, value));
            case (int index, ImmutableArray<object> list) when index < list.Length:
                return list.SetItem(index, Set(list[index], rest, value));
            default:
                throw new ArgumentException($"the recorded inputs have nothing at {steps[0]} to keep an old value in", nameof(steps));
        }
    }

    /// <summary>"a.b[0].c" as "a", "b", 0, "c".</summary>
    private static IReadOnlyList<object> Steps(string path)
    {
        var steps = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            steps.Add(bracket < 0 ? part : part[..bracket]);
            for (var rest = bracket < 0 ? string.Empty : part[bracket..]; rest.Length > 0;)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                steps.Add(int.Parse(rest[1..close], CultureInfo.InvariantCulture));
                rest = rest[(close + 1)..];
            }
        }

        return steps;
    }

    private static void Write(object? value, StringBuilder text)
    {
        switch (value)
        {
            case ImmutableDictionary<string, object> map:
                text.Append('{');
                foreach (var (key, child) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    text.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(child, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case ImmutableArray<object> list:
                text.Append('[');
                foreach (var child in list)
                {
                    Write(child, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append(JsonSerializer.Serialize(value));
                break;
        }
    }
}
