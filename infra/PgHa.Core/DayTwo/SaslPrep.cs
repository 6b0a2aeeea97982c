using System.Globalization;
using System.Text;

namespace PgHa.Core.DayTwo;

/// <summary>
/// SASLprep (RFC 4013) as PostgreSQL applies it to a password before SCRAM (src/common/saslprep.c): an ASCII password
/// is used as it is; otherwise non-ASCII spaces become spaces, "commonly mapped to nothing" characters are removed and
/// the result is NFKC-normalized. A result holding a prohibited or unassigned character, or breaking the bidirectional
/// rule, is not an error for PostgreSQL: it then uses the password's raw UTF-8 bytes, and so does this.
/// </summary>
internal static class SaslPrep
{
    private static readonly (int From, int To)[] NonAsciiSpaces =
        [(0x00A0, 0x00A0), (0x1680, 0x1680), (0x2000, 0x200B), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)];

    private static readonly (int From, int To)[] MappedToNothing =
        [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x1806, 0x1806), (0x180B, 0x180D), (0x200B, 0x200D), (0x2060, 0x2060), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF)];

    // RFC 3454 C.1.2 to C.9 (C.1.2 cannot remain after mapping, C.5 surrogates cannot occur in a decoded code point).
    private static readonly (int From, int To)[] Prohibited =
    [
        (0x0000, 0x001F), (0x007F, 0x009F), (0x0340, 0x0341), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x180E, 0x180E),
        (0x200C, 0x200F), (0x2028, 0x202E), (0x2060, 0x2063), (0x206A, 0x206F), (0x2FF0, 0x2FFB), (0xD800, 0xDFFF),
        (0xE000, 0xF8FF), (0xFDD0, 0xFDEF), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFF), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
        (0xE0020, 0xE007F), (0xF0000, 0x10FFFF),
    ];

    /// <summary>The bytes SCRAM hashes for <paramref name="password"/>, as PostgreSQL computes them.</summary>
    public static byte[] Bytes(string password)
    {
        var raw = Encoding.UTF8.GetBytes(password);
        if (password.All(char.IsAscii))
        {
            return raw;
        }

        var mapped = new StringBuilder(password.Length);
        foreach (var rune in password.EnumerateRunes())
        {
            if (In(rune.Value, NonAsciiSpaces))
            {
                mapped.Append(' ');
            }
            else if (!In(rune.Value, MappedToNothing))
            {
                mapped.Append(rune.ToString());
            }
        }

        string normalized;
        try
        {
            normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return raw;
        }

        var runes = normalized.EnumerateRunes().ToArray();
        if (runes.Any(r => In(r.Value, Prohibited) || Rune.GetUnicodeCategory(r) == UnicodeCategory.OtherNotAssigned))
        {
            return raw;
        }

        // The bidirectional rule (RFC 3454 section 6), with right-to-left taken as the Hebrew and Arabic blocks.
        if (runes.Any(IsRightToLeft) && (!IsRightToLeft(runes[0]) || !IsRightToLeft(runes[^1]) || runes.Any(r => Rune.IsLetter(r) && !IsRightToLeft(r))))
        {
            return raw;
        }

        return Encoding.UTF8.GetBytes(normalized);
    }

    private static bool IsRightToLeft(Rune rune) =>
        rune.Value is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFE);

    private static bool In(int value, (int From, int To)[] ranges) => ranges.Any(r => value >= r.From && value <= r.To);
}
