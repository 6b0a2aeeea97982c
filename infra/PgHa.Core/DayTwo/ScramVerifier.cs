using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PgHa.Core.DayTwo;

/// <summary>
/// PostgreSQL's SCRAM-SHA-256 password verifier (what pg_authid.rolpassword holds), computed on the client:
/// <c>ALTER ROLE ... PASSWORD '&lt;verifier&gt;'</c> then sets the password without the server (or its log) ever
/// seeing it in clear. Also tells whether a stored verifier belongs to a password, which is how a rotated Secret is
/// recognised without keeping any fingerprint.
/// </summary>
public static class ScramVerifier
{
    /// <summary>PostgreSQL's default iteration count (scram_iterations).</summary>
    public const int DefaultIterations = 4096;

    /// <summary>PostgreSQL's salt length in bytes.</summary>
    public const int SaltLength = 16;

    private const string Prefix = "SCRAM-SHA-256$";

    /// <summary>A verifier for <paramref name="password"/> with a fresh random salt.</summary>
    public static string Create(string password, int iterations = DefaultIterations) =>
        Compute(password, RandomNumberGenerator.GetBytes(SaltLength), iterations);

    /// <summary>
    /// <c>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c> (RFC 5802 and 7677, base64 as
    /// PostgreSQL writes it), the password prepared with SASLprep as PostgreSQL prepares it.
    /// </summary>
    public static string Compute(string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var (storedKey, serverKey) = Keys(password, salt, iterations);
        return $"{Prefix}{iterations.ToString(CultureInfo.InvariantCulture)}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>
    /// Whether <paramref name="stored"/> (a role's pg_authid.rolpassword) was made from <paramref name="password"/>: a
    /// SCRAM verifier is recomputed with its salt and iterations; an MD5 one (md5 of password and username) is compared
    /// too. Null, empty or any other form does not match.
    /// </summary>
    public static bool Matches(string? stored, string password, string username)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return false;
        }

        if (stored.StartsWith("md5", StringComparison.Ordinal) && stored.Length == 35)
        {
            var md5 = "md5" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password + username)));
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(md5), Encoding.ASCII.GetBytes(stored));
        }

        if (Parse(stored) is not var (iterations, salt, storedKey, serverKey))
        {
            return false;
        }

        var (wantStored, wantServer) = Keys(password, salt, iterations);
        return CryptographicOperations.FixedTimeEquals(wantStored, storedKey) && CryptographicOperations.FixedTimeEquals(wantServer, serverKey);
    }

    /// <summary>Whether <paramref name="text"/> has the shape of a SCRAM-SHA-256 verifier.</summary>
    public static bool IsVerifier(string? text) => text is not null && Parse(text) is not null;

    private static (int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)? Parse(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 2)
        {
            return null;
        }

        var head = parts[0].Split(':');
        var keys = parts[1].Split(':');
        if (head.Length != 2 || keys.Length != 2
            || !int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return null;
        }

        try
        {
            var salt = Convert.FromBase64String(head[1]);
            var storedKey = Convert.FromBase64String(keys[0]);
            var serverKey = Convert.FromBase64String(keys[1]);
            return storedKey.Length == 32 && serverKey.Length == 32 ? (iterations, salt, storedKey, serverKey) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (byte[] StoredKey, byte[] ServerKey) Keys(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(SaslPrep.Bytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return (SHA256.HashData(clientKey), serverKey);
    }
}
