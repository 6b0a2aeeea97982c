using System.Globalization;

namespace PgHa.Core.Backup;

/// <summary>
/// A point in time to recover to. Config takes RFC 3339 with an explicit zone (a time without one would be read in
/// whatever zone the pod runs); the result is UTC in a form PostgreSQL's recovery_target_time and Spilo's clone
/// script (python-dateutil) both parse.
/// </summary>
public static class RecoveryTargetTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The instant, or null when <paramref name="text"/> is not RFC 3339 with a zone.</summary>
    public static DateTimeOffset? TryParse(string text)
    {
        var trimmed = text.Trim();
        var hasZone = trimmed.EndsWith('Z') || trimmed.EndsWith('z')
            || (trimmed.Length > 6 && trimmed[^6] is '+' or '-' && trimmed[^3] == ':');
        return hasZone && DateTimeOffset.TryParseExact(trimmed.Replace('z', 'Z'), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var parsed) ? parsed : null;
    }

    /// <summary>UTC with microseconds, e.g. <c>2026-11-25 10:30:00.000000+00</c>.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00";
}
