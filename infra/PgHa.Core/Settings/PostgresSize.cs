using System.Globalization;
using System.Text.RegularExpressions;

namespace PgHa.Core.Settings;

/// <summary>Parses PostgreSQL memory/size settings (<c>512MB</c>, <c>4GB</c>, <c>8192kB</c>) to bytes.</summary>
public static partial class PostgresSize
{
    private static readonly Dictionary<string, long> Units = new(StringComparer.Ordinal)
    {
        ["B"] = 1, ["kB"] = 1024, ["MB"] = 1024L * 1024, ["GB"] = 1024L * 1024 * 1024, ["TB"] = 1024L * 1024 * 1024 * 1024,
    };

    // PostgreSQL's units are case-sensitive: "4gb" is rejected by the server, so it is rejected here.
    [GeneratedRegex(@"^(?<num>[0-9]{1,12})\s*(?<unit>B|kB|MB|GB|TB)$")]
    private static partial Regex Pattern();

    /// <summary>Bytes, or null when the text is not a whole number with a PostgreSQL unit.</summary>
    public static long? TryParse(string? text)
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

        return long.Parse(match.Groups["num"].Value, CultureInfo.InvariantCulture) * Units[match.Groups["unit"].Value];
    }
}
