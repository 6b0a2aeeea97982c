using PgHa.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace PgHa.Core.Tests;

/// <summary>The generated reference: only the section between the markers changes, and both files read back as written.</summary>
public class SettingsReferenceTests
{
    [Fact]
    public void Only_the_section_between_the_markers_is_replaced()
    {
        var stale = "name: pgha\n# kept above\n" + SettingsReference.PulumiYamlBegin + "\nconfig:\n  old: {}\n" + SettingsReference.PulumiYamlEnd
            + "\n# kept below\nmain: infra/PgHaInfra/\n";
        var updated = SettingsReference.UpdatePulumiYaml(stale);
        Assert.StartsWith("name: pgha\n# kept above\n" + SettingsReference.PulumiYamlBegin + "\n", updated, StringComparison.Ordinal);
        Assert.EndsWith(SettingsReference.PulumiYamlEnd + "\n# kept below\nmain: infra/PgHaInfra/\n", updated, StringComparison.Ordinal);
        Assert.DoesNotContain("old:", updated, StringComparison.Ordinal);
        Assert.Equal(updated, SettingsReference.UpdatePulumiYaml(updated));
    }

    [Fact]
    public void A_file_without_the_markers_is_refused_with_what_to_add()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SettingsReference.UpdateConfigurationDoc("# Configuration reference\n"));
        Assert.Contains(SettingsReference.DocTableBegin, e.Message, StringComparison.Ordinal);
        Assert.Contains(SettingsReference.WriteCommand, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_block_reads_back_as_each_declaration()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(SettingsReference.PulumiConfigBlock()))
        {
            stream.Load(reader);
        }

        var config = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("config")];
        Assert.Equal(ConfigKeys.All.Count, config.Children.Count);
        foreach (var key in ConfigKeys.All)
        {
            var entry = (YamlMappingNode)config.Children[new YamlScalarNode(key.Name)];
            Assert.Equal(key.Description, ((YamlScalarNode)entry.Children[new YamlScalarNode("description")]).Value);
        }
    }

    [Fact]
    public void The_table_has_a_row_per_documented_key_with_markdown_markup_escaped()
    {
        var rows = SettingsReference.KeyTable().Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();
        Assert.Equal(ConfigKeys.Documented.Select(k => $"| `{k.FullName}` |"), rows.Select(r => r[..(r.IndexOf("` |", StringComparison.Ordinal) + 3)]));

        var storageClass = rows.Single(r => r.StartsWith("| `pgha:storageClassName`", StringComparison.Ordinal));
        Assert.Contains(@"\<clusterName>-gp3", storageClass, StringComparison.Ordinal);
        var database = rows.Single(r => r.StartsWith("| `pgha:database`", StringComparison.Ordinal));
        Assert.Contains(@"'\_'", database, StringComparison.Ordinal);
        var keys = rows.Single(r => r.StartsWith("| `pgha:appConfigKeys`", StringComparison.Ordinal));
        Assert.Contains("host=POSTGRES_HOST,", keys, StringComparison.Ordinal);
        Assert.Contains("| string (secret) |", rows.Single(r => r.StartsWith("| `pgha:appPassword`", StringComparison.Ordinal)), StringComparison.Ordinal);
        // Every row has exactly its three cells: no unescaped '|' in a description.
        Assert.All(rows, r => Assert.Equal(4, r.Replace(@"\|", string.Empty, StringComparison.Ordinal).Count(c => c == '|')));
    }
}
