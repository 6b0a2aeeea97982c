using System.Xml.Linq;

namespace PgHa.Cli.Tests;

/// <summary>
/// The command installs with <c>dotnet tool install PgHa.Cli</c> and runs as <c>pgha</c> (README). Packing takes too
/// long for the suite; this reads what the pack is built from.
/// </summary>
public class ToolPackageTests
{
    [Fact]
    public void The_cli_project_packs_as_the_pgha_dotnet_tool()
    {
        var project = XDocument.Load(Path.Combine(CliRun.RepositoryRoot, "infra", "PgHa.Cli", "PgHa.Cli.csproj"));
        string? Property(string name) => project.Descendants(name).SingleOrDefault()?.Value;

        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("pgha", Property("ToolCommandName"));
        Assert.Equal("PgHa.Cli", Property("PackageId"));
        Assert.Equal("pgha", Property("AssemblyName"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", Property("Version"));
    }
}
