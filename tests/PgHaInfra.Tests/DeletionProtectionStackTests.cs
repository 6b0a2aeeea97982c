using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// pgha:deletionProtection: what holds or unlocks the data is protected (Pulumi refuses to delete or replace it)
/// when the key is on, in every stack variant; a namespace the stack created is never deleted by Pulumi.
/// </summary>
[Collection(PulumiCollection.Name)]
public class DeletionProtectionStackTests
{
    /// <summary>The server's and the operator's certificate Secrets.</summary>
    private static readonly string[] TlsSecrets = ["orders-tls-secret", "orders-tls-operator-secret"];

    private static readonly string[] DataHolders = ["kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Secret", "kubernetes:core/v1:Namespace"];

    public static TheoryData<string, bool> VariantsWithProtection()
    {
        var data = new TheoryData<string, bool>();
        foreach (var variant in StackVariants.All.Keys)
        {
            data.Add(variant, true);
            data.Add(variant, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VariantsWithProtection))]
    public async Task Data_holders_are_protected_exactly_when_the_key_is_on(string variant, bool protect)
    {
        var config = DictionaryStackConfigWith(StackVariants.All[variant], protect);
        var options = await RunObservingOptionsAsync(config);
        // The TLS Secrets hold no data and unlock none: the stack remakes them from its state on the next pulumi up.
        var holders = options.Where(o => DataHolders.Contains(o.Type) && !o.IsRead && !TlsSecrets.Contains(o.Name)).ToArray();
        Assert.Contains(holders, o => o.Type == "kubernetes:apps/v1:StatefulSet");
        Assert.All(holders, o => Assert.True((o.Protect ?? false) == protect, $"{o.Type} {o.Name}: protect {o.Protect}, expected {protect}"));
        // Nothing else is made undeletable by this key (the backup bucket is protected always, on its own).
        Assert.All(options.Where(o => (!DataHolders.Contains(o.Type) || TlsSecrets.Contains(o.Name)) && o.Type != "aws:s3/bucket:Bucket"),
            o => Assert.False(o.Protect ?? false, $"{o.Type} {o.Name} is protected"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_created_namespace_is_never_deleted_by_pulumi_so_its_volumes_stay(bool protect)
    {
        var config = DictionaryStackConfigWith(ValidConfig(("pgha:createNamespace", "true")), protect);
        var ns = Assert.Single(await RunObservingOptionsAsync(config), o => o.Type == "kubernetes:core/v1:Namespace");
        Assert.True(ns.RetainOnDelete);
        Assert.Equal(protect, ns.Protect ?? false);
    }

    [Fact]
    public async Task The_backup_bucket_stays_protected_even_with_protection_off()
    {
        var config = DictionaryStackConfigWith(StackVariants.All["backups (eks)"], protect: false);
        var bucket = Assert.Single(await RunObservingOptionsAsync(config), o => o.Type == "aws:s3/bucket:Bucket");
        Assert.True(bucket.Protect);
    }

    private static Dictionary<string, string> DictionaryStackConfigWith(Dictionary<string, string> config, bool protect) =>
        PgHa.Core.Settings.DictionaryStackConfig.With(config, ("pgha:deletionProtection", protect ? null : "false"));
}
