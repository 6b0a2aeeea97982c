using System.Globalization;
using System.Text.RegularExpressions;

namespace PgHa.Core.Settings;

/// <summary>Parses Kubernetes resource quantities (<c>500m</c>, <c>2</c>, <c>1Gi</c>, <c>1e3</c>) to a number.</summary>
public static partial class KubernetesQuantity
{
    private static readonly Dictionary<string, decimal> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["n"] = 0.000000001m, ["u"] = 0.000001m, ["m"] = 0.001m,
        ["k"] = 1e3m, ["M"] = 1e6m, ["G"] = 1e9m, ["T"] = 1e12m, ["P"] = 1e15m, ["E"] = 1e18m,
        ["Ki"] = 1024m, ["Mi"] = 1024m * 1024, ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024, ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024,
        ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    [GeneratedRegex(@"^(?<num>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<suffix>[numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Pattern();

    /// <summary>The quantity's value (cores for CPU, bytes for memory and storage), or null when it is not a quantity.</summary>
    public static decimal? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        // Too many digits for a decimal, or an exponent beyond int: not a quantity this program can use.
        if (!decimal.TryParse(match.Groups["num"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var suffix = match.Groups["suffix"].Value;
        try
        {
            if (suffix.Length > 1 && (suffix[0] == 'e' || suffix[0] == 'E'))
            {
                return int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) && exponent is >= -18 and <= 18
                    ? number * (decimal)Math.Pow(10, exponent)
                    : null;
            }

            return number * Suffixes[suffix];
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
