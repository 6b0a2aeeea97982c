using System.Globalization;

namespace PgHa.Core.DayTwo;

/// <summary>Byte counts written the way PostgreSQL writes sizes (16MB, 1GB, 512kB, 100 bytes).</summary>
internal static class ByteSize
{
    private static readonly (long Factor, string Unit)[] Units =
    [
        (1L << 40, "TB"), (1L << 30, "GB"), (1L << 20, "MB"), (1L << 10, "kB"),
    ];

    public static string Format(long bytes)
    {
        foreach (var (factor, unit) in Units)
        {
            if (bytes != 0 && bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }
}
