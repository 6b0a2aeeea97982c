using System.Collections.Immutable;

namespace PgHaInfra.Tests;

/// <summary>Reading the inputs the engine mock recorded (nested maps and lists of plain values).</summary>
public static class RecordedInputs
{
    public static ImmutableDictionary<string, object>? Map(object? value) => value as ImmutableDictionary<string, object>;

    public static IEnumerable<object> List(object? value) => value is ImmutableArray<object> list ? list : [];

    /// <summary>The value at <paramref name="path"/> below <paramref name="root"/>, or null where a step is missing.</summary>
    public static object? At(object? root, params string[] path)
    {
        foreach (var step in path)
        {
            root = Map(root) is { } map && map.TryGetValue(step, out var next) ? next : null;
        }

        return root;
    }

    /// <summary>A string map (labels, a selector); empty where there is none.</summary>
    public static IReadOnlyDictionary<string, string> Strings(object? value) =>
        Map(value)?.ToDictionary(kv => kv.Key, kv => (string)kv.Value, StringComparer.Ordinal) ?? [];

    public static string? Name(RegisteredResource resource) => At(resource.Inputs, "metadata", "name") as string;
}
