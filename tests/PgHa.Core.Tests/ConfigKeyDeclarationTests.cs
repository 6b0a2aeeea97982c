using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>
/// Each key is declared once (ConfigKeys): the loader enforces exactly the limits and values the declaration states,
/// its description (what Pulumi.yaml and docs/configuration.md show) says the same, and every fix names the key.
/// </summary>
public class ConfigKeyDeclarationTests
{
    public static TheoryData<string> IntegerKeys => [.. ConfigKeys.All.OfType<IntSetting>().Select(k => k.Name)];

    public static TheoryData<string> KeysWithARule => [.. ConfigKeys.All.Where(k => BadValue(k) is not null).Select(k => k.Name)];

    private static ConfigKey Key(string name) => ConfigKeys.All.Single(k => k.Name == name);

    /// <summary>A value the key's declaration refuses, or null for a key that takes any text (or is a secret).</summary>
    private static string? BadValue(ConfigKey key) => key switch
    {
        IntSetting => "many",
        BoolSetting => "maybe",
        SizeSetting or QuantitySetting => "Bad Value!",
        StringSetting s when s.Rule is not null => "Bad Value!",
        _ when key.GetType().IsGenericType => "bogus",
        _ => null,
    };

    private static IEnumerable<ConfigError> ErrorsFor(ConfigKey key, string value) =>
        TestConfig.Load(TestConfig.With((key.FullName, value))).Errors.Where(e => e.Key == key.FullName);

    [Theory]
    [MemberData(nameof(IntegerKeys))]
    public void An_integer_key_takes_exactly_its_declared_range_and_its_description_states_it(string name)
    {
        var key = (IntSetting)Key(name);
        foreach (var inside in new[] { key.Min, key.Max })
        {
            Assert.DoesNotContain(ErrorsFor(key, inside.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                e => e.Problem.StartsWith("must be", StringComparison.Ordinal));
        }

        foreach (var outside in new[] { key.Min - 1, key.Max + 1 })
        {
            var error = Assert.Single(ErrorsFor(key, outside.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                e => e.Problem.StartsWith("must be", StringComparison.Ordinal));
            Assert.Contains(key.Range, error.Problem, StringComparison.Ordinal);
            Assert.Equal(key.SetCommand(key.DefaultSpelling), error.Fix);
        }

        Assert.Contains(key.Range, key.Description, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith($"Default: {key.DefaultSpelling}.", key.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_are_described_with_the_cap_the_loader_enforces()
    {
        Assert.Contains("From 2 to 9.", ConfigKeys.Replicas.Description, StringComparison.Ordinal);
        TestConfig.SingleError("pgha:replicas", ("pgha:replicas", "10"));
    }

    [Fact]
    public void An_enum_key_takes_exactly_its_declared_values_and_its_description_lists_each()
    {
        AssertEnum(ConfigKeys.Platform, [("pgha:storageClassName", "standard")]);
        AssertEnum(ConfigKeys.AntiAffinity, []);
        AssertEnum(ConfigKeys.ZoneSpread, []);
        AssertEnum(ConfigKeys.SynchronousMode, []);
        AssertEnum(ConfigKeys.CheckConnectionMode, []);
    }

    private static void AssertEnum<TEnum>(EnumSetting<TEnum> key, (string Key, string? Value)[] context)
        where TEnum : struct, Enum
    {
        Assert.Equal(Enum.GetValues<TEnum>().Length, key.Values.Count);
        foreach (var (value, meaning) in key.Values)
        {
            var spelling = EnumSetting<TEnum>.Spelling(value);
            Assert.Contains($"{spelling} ({meaning})", key.Description, StringComparison.Ordinal);
            var (_, errors) = TestConfig.Load(TestConfig.With([.. context, (key.FullName, spelling)]));
            Assert.DoesNotContain(errors, e => e.Key == key.FullName && e.Problem.StartsWith("must be one of", StringComparison.Ordinal));
        }

        var error = Assert.Single(ErrorsFor(key, "bogus"));
        Assert.Equal($"must be one of: {key.Allowed}.", error.Problem);
        Assert.Equal(key.SetCommand(EnumSetting<TEnum>.Spelling(key.Default)), error.Fix);
        Assert.EndsWith($"Default: {EnumSetting<TEnum>.Spelling(key.Default)}.", key.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeysWithARule))]
    public void A_bad_value_of_any_key_is_reported_with_its_value_and_a_fix_that_names_the_key(string name)
    {
        var key = Key(name);
        var value = BadValue(key)!;
        var errors = ErrorsFor(key, value).ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e =>
        {
            Assert.Equal(value, e.Value);
            Assert.Contains(key.FullName, e.Fix, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_rule_refuses_the_bad_value_the_tests_use() =>
        Assert.All(ConfigKeys.All.OfType<StringSetting>().Where(k => k.Rule is not null), k => Assert.NotNull(k.Problem("Bad Value!")));

    [Fact]
    public void Descriptions_state_defaults_from_the_declared_values()
    {
        Assert.EndsWith("Default: pg-ha.", ConfigKeys.ClusterName.Description, StringComparison.Ordinal);
        Assert.EndsWith("Required.", ConfigKeys.Namespace.Description, StringComparison.Ordinal);
        Assert.EndsWith("Default: true.", ConfigKeys.Preflight.Description, StringComparison.Ordinal);
        Assert.EndsWith("Default: 16MB.", ConfigKeys.ReadinessMaxLag.Description, StringComparison.Ordinal);
        Assert.Contains("at least 256Mi", ConfigKeys.MemoryRequest.Description, StringComparison.Ordinal);
        Assert.EndsWith("Default: the value of pgha:namespace.", ConfigKeys.AppNamespace.Description, StringComparison.Ordinal);
        Assert.EndsWith("Required, unless pgha:existingAppSecret is set instead.", ConfigKeys.AppPassword.Description, StringComparison.Ordinal);
        Assert.Contains("disable, allow, prefer, require, verify-ca, verify-full", ConfigKeys.MigrationSourceSslMode.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_defaults_are_generic_not_one_apps()
    {
        var defaults = string.Join('\n', ConfigKeys.Documented.Select(k => k.Description + " " + k.Placeholder));
        foreach (var appSpecific in new[] { "agentic", "ideaforge", "eu-central-1" })
        {
            Assert.DoesNotContain(appSpecific, defaults, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(("app", "app"), (ConfigKeys.Database.Default, ConfigKeys.AppUser.Default));
    }

    [Fact]
    public void Every_key_is_declared_once_and_the_documented_keys_add_only_the_aws_region()
    {
        Assert.Equal(ConfigKeys.All.Count, ConfigKeys.All.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ConfigKeys.All, k => Assert.Equal(ConfigKey.ProjectNamespace, k.KeyNamespace));
        Assert.Equal(["aws:region"], ConfigKeys.Documented.Except(ConfigKeys.All).Select(k => k.FullName));
    }

    [Fact]
    public void A_declaration_that_contradicts_itself_does_not_load()
    {
        Assert.Throws<ArgumentException>(() => new IntSetting("x", "x", 1, 2, 9));
        Assert.Throws<ArgumentException>(() => new EnumSetting<Platform>("x", "x", Platform.Eks, (Platform.Eks, "only one of two")));
        Assert.Throws<ArgumentException>(() => new SizeSetting("x", "x", "lots"));
        Assert.Throws<ArgumentException>(() => new QuantitySetting("x", "x", "lots"));
    }
}
