using PgHa.Core.Credentials;

namespace PgHa.Core.Tests;

public class PasswordGeneratorTests
{
    [Fact]
    public void Passwords_have_the_length_use_only_letters_and_digits_and_differ()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => PasswordGenerator.Generate(32)).ToArray();
        Assert.All(passwords, p => Assert.Equal(32, p.Length));
        Assert.All(passwords, p => Assert.All(p, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' in a password")));
        Assert.Equal(passwords.Length, passwords.Distinct().Count());
        // Every kind of character turns up (a generator stuck on part of the alphabet would not).
        var all = string.Concat(passwords);
        Assert.Contains(all, char.IsAsciiLetterUpper);
        Assert.Contains(all, char.IsAsciiLetterLower);
        Assert.Contains(all, char.IsAsciiDigit);
    }

    [Fact]
    public void Versions_are_random_hex_and_say_nothing_about_a_password()
    {
        var first = PasswordGenerator.NewVersion();
        Assert.Matches("^[0-9a-f]{16}$", first);
        Assert.NotEqual(first, PasswordGenerator.NewVersion());
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordGenerator.Generate(0));
    }
}
