using PgHa.Core.Patroni;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>The SPILO_CONFIGURATION the pods get, read the way Patroni reads it: PyYAML under Debian's python3.</summary>
public sealed class SpiloConfigurationTests(ITestOutputHelper output)
{
    // Patroni's interpreter (Debian's patroni package depends on it and on python3-yaml).
    private const string Python = "/usr/bin/python3";

    // Prints "<section> <parameter> <python type>" for every PostgreSQL parameter, local and dynamic.
    private const string TypesOfParameters = """
        import sys, yaml
        config = yaml.safe_load(sys.stdin)
        sections = {"local": config["postgresql"].get("parameters", {}),
                    "dcs": config["bootstrap"]["dcs"]["postgresql"]["parameters"]}
        for section, parameters in sections.items():
            for name, value in parameters.items():
                print(section, name, type(value).__name__)
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PyYAML_reads_every_parameter_as_a_string_or_number_never_a_boolean(bool backups)
    {
        var settings = backups ? LoopbackSettings.WithBackups() : LoopbackSettings.Load();
        var yaml = PatroniConfig.ToYaml(PatroniConfig.Build(settings.Patroni, settings.Backup));
        var script = Path.Combine(Path.GetTempPath(), $"pgha-types-{Guid.NewGuid():N}.py");
        var input = Path.Combine(Path.GetTempPath(), $"pgha-config-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(script, TypesOfParameters);
            await File.WriteAllTextAsync(input, yaml);
            var printed = await OsProcess.RunAsync("/bin/sh", ["-c", $"{Python} '{script}' < '{input}'"], TimeSpan.FromSeconds(30));
            output.WriteLine(printed);
            var types = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToArray();
            Assert.Contains(types, t => t[1] == "archive_mode" && t[2] == "str");
            Assert.Contains(types, t => t[1] == "wal_log_hints" && t[2] == "str");
            Assert.All(types, t => Assert.True(t[2] is "str" or "int", $"{t[0]} parameter {t[1]} is read as {t[2]}"));
        }
        finally
        {
            File.Delete(script);
            File.Delete(input);
        }
    }
}
