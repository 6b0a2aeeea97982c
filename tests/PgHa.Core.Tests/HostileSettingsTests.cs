using FsCheck;
using FsCheck.Fluent;
using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>
/// Random and hostile values for every declared setting, alone and many at once (FsCheck): loading ends in valid
/// settings or in the settings error listing, whose every entry names a declared key and says what to do, never in
/// another exception; a value that is garbage for any key is refused naming that key; a secret's value is never shown.
/// </summary>
public class HostileSettingsTests
{
    private static readonly ConfigKey[] Keys = [.. ConfigKeys.Documented];
    private static readonly HashSet<string> KeyNames = [.. Keys.Select(k => k.FullName)];

    private static readonly string[] Hostile =
    [
        "", " ", "\t", "\n", "0", "-1", "1", "65536", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e309", "NaN",
        "Infinity", "true", "false", "True", "null", "~", "yes", "no", "on", "off", "1.5", "0x10", "1Gi", "-1Gi", "0Gi", "1Ei",
        "9999999999999Ti", "1.5.5", "12GB", "0MB", "-5MB", "a b", "a,b", ",,", "=", "a=", "=b", "a=b,a=c", "${HOME}", "$(reboot)",
        "`id`", "'; DROP TABLE x; --", "\"", "'", "\\", "../../etc/passwd", "/", "http://", "https://", "http://[::1", "://x", "s3://x",
        "*", "* * * * *", "* * * * * *", "61 * * * *", "2026-13-45T25:61:61Z", "2026-11-25T10:30:00", new string('a', 300),
        new string('9', 400), "ä", "日本", "\u0000", "\u202e", "😀", "<script>", "{{x}}", "%s%n", "A-B", "UPPER", "-lead", "trail-",
        "x.y", "1/2", "k=v", "postgres", "replicator", "public", "generic", "eks", "strict", "direct", "portForward", "preferred",
        "none", "arn:aws:kms:eu-central-1:123456789012:key/abc", "ghcr.io/zalando/spilo-17:4.0-p3", "pgha:namespace", "#", "a#b",
    ];

    private const string Characters = "abcxyzABC019-_.:/=,;#@$%&*()[]{}<>?!'\"\\ \t\n\r\u0001\u0000äß日😀\u202e";

    private static Gen<string> Values() => Gen.OneOf(
        Gen.Elements(Hostile),
        Gen.Elements(Characters.ToCharArray()).ArrayOf().Select(c => new string(c)));

    /// <summary>Text no key's rule should take: a control character inside otherwise plain text.</summary>
    private static Gen<string> Garbage() => Gen.Elements(Hostile.Where(h => h.Trim().Length > 0).ToArray())
        .Select(h => "x\u0001" + h);

    private static (PgHaSettings? Settings, IReadOnlyList<ConfigError> Errors) LoadWithout(Func<Exception, string> describe,
        Dictionary<string, string> config)
    {
        try
        {
            return TestConfig.Load(config);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"loading threw instead of listing errors: {describe(e)}");
        }
    }

    private static void AssertListing(PgHaSettings? settings, IReadOnlyList<ConfigError> errors, string what)
    {
        Assert.True((settings is null) == (errors.Count > 0), $"{what}: settings {(settings is null ? "missing" : "present")} with {errors.Count} error(s)");
        foreach (var error in errors)
        {
            Assert.True(KeyNames.Contains(error.Key), $"{what}: an error names '{error.Key}', which is no declared key: {error}");
            Assert.False(string.IsNullOrWhiteSpace(error.Problem), $"{what}: an error without a problem: {error}");
            Assert.False(string.IsNullOrWhiteSpace(error.Fix), $"{what}: an error without a fix: {error}");
        }
    }

    [Fact]
    public void Any_value_of_any_one_key_ends_in_settings_or_the_error_listing()
    {
        var cases = Gen.Elements(Keys).Zip(Values()).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(cases, ((ConfigKey Key, string Value) c) =>
        {
            var what = $"{c.Key.FullName} = {Show(c.Value)}";
            var (settings, errors) = LoadWithout(e => $"{what}: {e}", TestConfig.With((c.Key.FullName, c.Value)));
            AssertListing(settings, errors, what);
            if (c.Key.Secret && c.Value.Trim().Length >= 4)
            {
                // Secrets never in plain text, not even the one that was wrong.
                Assert.DoesNotContain(errors, e => e.ToString().Contains(c.Value.Trim(), StringComparison.Ordinal));
                if (settings is null)
                {
                    Assert.DoesNotContain(c.Value.Trim(), new SettingsValidationException(errors).Message, StringComparison.Ordinal);
                }
            }
        }));
    }

    [Fact]
    public void Garbage_in_any_key_is_refused_naming_that_key()
    {
        // Passwords are free text by design; every other key has a form.
        var cases = Gen.Elements(Keys.Where(k => !k.Secret).ToArray()).Zip(Garbage()).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(cases, ((ConfigKey Key, string Value) c) =>
        {
            var what = $"{c.Key.FullName} = {Show(c.Value)}";
            var (settings, errors) = LoadWithout(e => $"{what}: {e}", TestConfig.With((c.Key.FullName, c.Value)));
            AssertListing(settings, errors, what);
            Assert.True(errors.Any(e => e.Key == c.Key.FullName), $"{what} was not refused naming the key; errors: {string.Join("; ", errors)}");
        }));
    }

    [Fact]
    public void Many_hostile_values_at_once_end_in_settings_or_the_error_listing()
    {
        var cases = Gen.Elements(Keys).Zip(Values()).ArrayOf().ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(cases, ((ConfigKey Key, string Value)[] changes) =>
        {
            var what = string.Join(", ", changes.Select(c => $"{c.Key.FullName} = {Show(c.Value)}"));
            var config = TestConfig.With(changes.Select(c => (c.Key.FullName, (string?)c.Value)).ToArray());
            var (settings, errors) = LoadWithout(e => $"{what}: {e}", config);
            AssertListing(settings, errors, what);
        }));
    }

    private static string Show(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
