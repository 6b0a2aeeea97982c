using PgHa.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace PgHa.Core.Tests;

/// <summary>Pulumi.yaml, the committed stacks and the config docs stay true to the settings the program reads.</summary>
public class ProjectFileTests
{
    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepoFiles.Read(path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Child(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    [Fact]
    public void Pulumi_yaml_is_a_dotnet_project_whose_main_is_the_program()
    {
        var project = LoadYaml("Pulumi.yaml");
        Assert.Equal("pgha", Scalar(project, "name"));
        Assert.Equal("dotnet", Scalar(Child(project, "runtime"), "name"));
        var main = Scalar(project, "main");
        Assert.True(File.Exists(Path.Combine(RepoFiles.Root, main, "PgHaInfra.csproj")), $"main: {main} holds no PgHaInfra.csproj");
        var provider = (YamlMappingNode)((YamlSequenceNode)Child(project, "plugins").Children[new YamlScalarNode("providers")]).Children[0];
        Assert.Equal("pgha", Scalar(provider, "name"));
        var path = Path.Combine(RepoFiles.Root, Scalar(provider, "path"));
        Assert.Equal("runtime: dotnet", File.ReadAllText(Path.Combine(path, "PulumiPlugin.yaml")).Trim());
        Assert.True(File.Exists(Path.Combine(path, "PgHa.Provider.csproj")));
    }

    [Fact]
    public void Pulumi_yaml_declares_exactly_the_keys_the_program_reads_with_type_and_description()
    {
        var config = Child(LoadYaml("Pulumi.yaml"), "config");
        var declared = config.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order().ToArray();
        Assert.Equal(ConfigKeys.All.Select(k => k.Name).Order().ToArray(), declared);

        foreach (var key in ConfigKeys.All)
        {
            var entry = Child(config, key.Name);
            Assert.Equal(SettingsReference.TypeName(key.Type), Scalar(entry, "type"));
            Assert.Equal(key.Description, Scalar(entry, "description"));
            Assert.Equal(key.Secret, entry.Children.ContainsKey(new YamlScalarNode("secret")));
            // A default here would make Pulumi set the key, and a key set without its feature on is an error.
            Assert.False(entry.Children.ContainsKey(new YamlScalarNode("default")), $"{key} declares a default in Pulumi.yaml");
        }
    }

    [Fact]
    public void Pulumi_yaml_config_block_is_what_the_declarations_generate()
    {
        var committed = RepoFiles.Read("Pulumi.yaml");
        Assert.True(committed == SettingsReference.UpdatePulumiYaml(committed),
            $"Pulumi.yaml's config block differs from the setting declarations; run {SettingsReference.WriteCommand}");
    }

    [Fact]
    public void Config_reference_table_is_what_the_declarations_generate()
    {
        var committed = RepoFiles.Read("docs/configuration.md");
        Assert.True(committed == SettingsReference.UpdateConfigurationDoc(committed),
            $"docs/configuration.md's key table differs from the setting declarations; run {SettingsReference.WriteCommand}");
    }

    [Theory]
    [InlineData("Pulumi.dev.yaml")]
    [InlineData("Pulumi.prod.yaml")]
    public void Committed_stacks_pass_validation_once_the_documented_secrets_are_set(string stackFile)
    {
        var text = RepoFiles.Read(stackFile);
        var values = Child(LoadYaml(stackFile), "config").Children
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);

        foreach (var secret in ConfigKeys.All.Where(k => k.Secret))
        {
            Assert.False(values.ContainsKey(secret.FullName), $"{stackFile} commits {secret} in clear");
            // The file documents the command that sets it.
            Assert.Contains($"pulumi config set --secret {secret.FullName}", text, StringComparison.Ordinal);
            values[secret.FullName] = "set-by-the-documented-command";
        }

        var (settings, errors) = SettingsLoader.TryLoad(new DictionaryStackConfig(values));
        Assert.Empty(errors);
        Assert.Equal(3, settings!.Cluster.Replicas);
        Assert.Equal("20Gi", settings.Storage.Size);
        Assert.Equal(Platform.Eks, settings.Cluster.Platform);
        // The app's own names are the stack's, not the code's generic defaults.
        Assert.Equal(("agentic_pm_db", "agentic_pm", "ideaforge-ai-config"), (settings.Postgres.Database, settings.Postgres.AppUser, settings.AppConfig!.ConfigMap));
        foreach (var key in new[] { ConfigKeys.Database, ConfigKeys.AppUser, ConfigKeys.AppConfigKeys })
        {
            Assert.True(values.ContainsKey(key.FullName), $"{stackFile} leaves {key} to the code's generic default");
        }

        // What holds the data is protected from an accidental destroy or replacement in every committed stack.
        Assert.True(settings.Cluster.DeletionProtection, $"{stackFile} turns deletion protection off");
    }

    [Fact]
    public void Dev_uses_its_namespace_and_prod_replicates_synchronously()
    {
        Assert.Contains("pgha:namespace: 20890-ideaforge-ai-dev-58a50", RepoFiles.Read("Pulumi.dev.yaml"), StringComparison.Ordinal);
        Assert.Contains("pgha:synchronousMode: \"on\"", RepoFiles.Read("Pulumi.prod.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readmes_example_errors_are_what_the_loader_says()
    {
        var (_, errors) = TestConfig.Load(TestConfig.With(("pgha:replicas", "1"), ("pgha:appUser", "agentic_pm"), ("pgha:appPassword", null)));
        var readme = RepoFiles.Read("README.md");
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("  - " + e, readme, StringComparison.Ordinal));
    }

    [Fact]
    public void Config_reference_documents_every_key()
    {
        var docs = RepoFiles.Read("docs/configuration.md");
        var missing = ConfigKeys.Documented.Where(k => !docs.Contains($"`{k.FullName}`", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "docs/configuration.md lacks: " + string.Join(", ", missing.Select(k => k.FullName)));
    }
}
