namespace PgHa.Core.Tests;

/// <summary>pgha:preflight: on unless a stack turns it off; anything but true/false is a config error.</summary>
public class PreflightSettingTests
{
    [Fact]
    public void The_preflight_is_on_by_default_and_off_only_when_set_false()
    {
        Assert.True(TestConfig.LoadValid().Preflight);
        Assert.True(TestConfig.LoadValid(("pgha:preflight", "true")).Preflight);
        Assert.False(TestConfig.LoadValid(("pgha:preflight", "false")).Preflight);
    }

    [Fact]
    public void A_value_other_than_true_or_false_names_the_key_and_the_fix()
    {
        var error = TestConfig.SingleError("pgha:preflight", ("pgha:preflight", "skip"));
        Assert.Equal("skip", error.Value);
        Assert.Equal("pulumi config set pgha:preflight true", error.Fix);
    }
}
