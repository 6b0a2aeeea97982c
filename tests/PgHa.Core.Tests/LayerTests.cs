using System.Text.RegularExpressions;
using System.Xml.Linq;
using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

/// <summary>
/// The layers of docs/design.md are what the project files say: each project depends on the projects of ours and the
/// packages its row names, nothing else. Core in particular stays pure: no Npgsql, no Kubernetes client, no Pulumi.
/// </summary>
public partial class LayerTests
{
    /// <summary>One row of the Layers table: the layer's name, its project folder, and what it may depend on.</summary>
    private sealed record Layer(string Name, string Folder, IReadOnlySet<string> Projects, IReadOnlySet<string> Packages);

    [GeneratedRegex(@"^\|\s*(?<name>[A-Za-z]+)\s*\|\s*`(?<folder>infra/[^`]+)`\s*\|(?<projects>[^|]*)\|(?<packages>[^|]*)\|")]
    private static partial Regex Row();

    private static IReadOnlyList<Layer> Layers()
    {
        var design = RepoFiles.Read("docs/design.md");
        var section = design[design.IndexOf("## Layers", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return section.Split('\n').Select(line => Row().Match(line)).Where(m => m.Success).Select(m => new Layer(
            m.Groups["name"].Value,
            m.Groups["folder"].Value,
            List(m.Groups["projects"].Value.Trim() == "nothing of ours" ? string.Empty : m.Groups["projects"].Value),
            List(m.Groups["packages"].Value))).ToArray();
    }

    private static HashSet<string> List(string cell) =>
        cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static XDocument ProjectFile(string folder) =>
        XDocument.Parse(RepoFiles.Read($"{folder}/{Path.GetFileName(folder)}.csproj"));

    private static IEnumerable<string> Includes(XDocument project, string item) =>
        project.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    [Fact]
    public void The_table_names_every_project_under_infra()
    {
        var folders = Directory.GetDirectories(Path.Combine(RepoFiles.Root, "infra"))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any())
            .Select(d => "infra/" + Path.GetFileName(d))
            .Order(StringComparer.Ordinal);
        Assert.Equal(folders, Layers().Select(l => l.Folder).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_project_references_exactly_the_projects_and_packages_its_layer_may_depend_on()
    {
        var layers = Layers();
        var byFolder = layers.ToDictionary(l => l.Folder, l => l.Name, StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var project = ProjectFile(layer.Folder);
            var projects = Includes(project, "ProjectReference")
                .Select(p => "infra/" + Path.GetFileName(Path.GetDirectoryName(p.Replace('\\', '/'))!))
                .Select(folder => byFolder.TryGetValue(folder, out var name) ? name : folder)
                .Order(StringComparer.Ordinal);
            Assert.True(layer.Projects.Order(StringComparer.Ordinal).SequenceEqual(projects),
                $"{layer.Folder} references [{string.Join(", ", projects)}]; docs/design.md says it may depend on [{string.Join(", ", layer.Projects)}]");
            var packages = Includes(project, "PackageReference").Order(StringComparer.Ordinal);
            Assert.True(layer.Packages.Order(StringComparer.Ordinal).SequenceEqual(packages),
                $"{layer.Folder} uses packages [{string.Join(", ", packages)}]; docs/design.md says [{string.Join(", ", layer.Packages)}]");
        }
    }

    [Fact]
    public void Core_is_pure_no_database_driver_no_kubernetes_client_no_pulumi()
    {
        var core = Layers().Single(l => l.Name == "Core");
        Assert.Empty(core.Projects);
        Assert.Equal(["YamlDotNet"], Includes(ProjectFile(core.Folder), "PackageReference"));

        // What the compiled assembly actually uses, whatever reaches it (a package's dependency would too).
        var referenced = typeof(PgHaSettings).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(referenced, name => name.StartsWith("Npgsql", StringComparison.Ordinal)
            || name.StartsWith("KubernetesClient", StringComparison.Ordinal)
            || name.StartsWith("Pulumi", StringComparison.Ordinal));
    }
}
