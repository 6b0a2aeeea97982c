using System.Globalization;

namespace PgHa.Core.Backup;

/// <summary>
/// Checks a 5-field cron expression (minute hour day-of-month month day-of-week) as cron reads it in the pods,
/// so a typo fails the preview instead of silently never taking a backup.
/// </summary>
public static class CronSchedule
{
    private static readonly (string Name, int Min, int Max)[] Fields =
    [
        ("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7),
    ];

    /// <summary>The problem with <paramref name="expression"/>, or null when cron accepts it.</summary>
    public static string? Problem(string expression)
    {
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Fields.Length)
        {
            return $"has {parts.Length} field(s); cron needs 5 (minute hour day-of-month month day-of-week), e.g. 0 1 * * *.";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (FieldProblem(parts[i], Fields[i].Min, Fields[i].Max) is { } problem)
            {
                return $"field {i + 1} ({Fields[i].Name}) \"{parts[i]}\" {problem}";
            }
        }

        return null;
    }

    private static string? FieldProblem(string field, int min, int max)
    {
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') switch
            {
                [var r] => (r, (string?)null),
                [var r, var s] => (r, s),
                _ => (string.Empty, null),
            };
            if (step is not null && (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1))
            {
                return $"has a step that is not a positive number (\"{step}\").";
            }

            if (range == "*")
            {
                continue;
            }

            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2)
            {
                return $"is not a number, range or * (\"{item}\").";
            }

            foreach (var bound in bounds)
            {
                if (!int.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return $"is not a number, range or * (\"{item}\").";
                }

                if (value < min || value > max)
                {
                    return $"is outside {min} to {max} (\"{item}\").";
                }
            }

            if (bounds.Length == 2 && int.Parse(bounds[0], CultureInfo.InvariantCulture) > int.Parse(bounds[1], CultureInfo.InvariantCulture))
            {
                return $"has a range that runs backwards (\"{item}\").";
            }
        }

        return null;
    }
}
