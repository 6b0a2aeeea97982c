using System.Text.RegularExpressions;

namespace PgHa.Core.Kubernetes;

/// <summary>
/// An equality label selector written as config text, <c>key=value[,key=value...]</c> (what <c>kubectl -l</c> takes
/// without set operators): parsed into <c>matchLabels</c>, or the problem with it.
/// </summary>
public static partial class LabelSelectorText
{
    // A label name, and a value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' between.
    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();

    // A key's optional prefix: a DNS-1123 subdomain of at most 253 characters.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex PrefixPattern();

    /// <summary>What is wrong with <paramref name="text"/> as a selector, or null when it is one.</summary>
    public static string? Problem(string text)
    {
        var pairs = text.Split(',', StringSplitOptions.TrimEntries);
        if (pairs.All(p => p.Length == 0))
        {
            return "selects nothing: give at least one key=value.";
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[1].StartsWith('=') || parts[0].EndsWith('!'))
            {
                return $"has '{pair}', not key=value (only equality is supported, no !=, in or notin).";
            }

            if (KeyProblem(parts[0]) is { } badKey)
            {
                return $"has the key '{parts[0]}', which {badKey}";
            }

            if (parts[1].Length > 0 && !NamePattern().IsMatch(parts[1]))
            {
                return $"has the value '{parts[1]}', which is not a label value (at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends).";
            }

            if (!keys.Add(parts[0]))
            {
                return $"names the key '{parts[0]}' twice.";
            }
        }

        return null;
    }

    /// <summary>The <c>matchLabels</c> of a selector <see cref="Problem"/> found nothing wrong with.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        if (Problem(text) is { } problem)
        {
            throw new ArgumentException($"'{text}' {problem}", nameof(text));
        }

        return text.Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    private static string? KeyProblem(string key)
    {
        var slash = key.LastIndexOf('/');
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (prefix is not null && (prefix.Length > 253 || !PrefixPattern().IsMatch(prefix)))
        {
            return "has a prefix that is not a DNS-1123 subdomain.";
        }

        return NamePattern().IsMatch(name) ? null : "is not a label key (at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends, after an optional prefix/).";
    }
}
