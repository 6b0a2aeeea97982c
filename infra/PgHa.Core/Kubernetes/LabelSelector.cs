namespace PgHa.Core.Kubernetes;

/// <summary>Kubernetes equality-based label selection (<c>matchLabels</c>, a Service's <c>selector</c>).</summary>
public static class LabelSelector
{
    /// <summary>
    /// True when every key of <paramref name="selector"/> is on <paramref name="labels"/> with the same value.
    /// An empty selector selects nothing here: no object of this stack means "every pod" by an empty selector.
    /// </summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
