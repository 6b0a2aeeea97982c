using System.Security.Cryptography;

namespace PgHa.Core.Credentials;

/// <summary>
/// Random passwords from the operating system's cryptographic generator: letters and digits only, so a password needs
/// no quoting in a libpq URI, a shell or YAML (32 characters carry about 190 bits).
/// </summary>
public static class PasswordGenerator
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Generate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return RandomNumberGenerator.GetString(Alphabet, length);
    }

    /// <summary>A random identifier (16 hex digits) for a generated password's version; it says nothing about the password.</summary>
    public static string NewVersion() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
