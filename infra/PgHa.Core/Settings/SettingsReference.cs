using System.Text;

namespace PgHa.Core.Settings;

/// <summary>
/// The reference generated from the declarations in <see cref="ConfigKeys"/>: the <c>config:</c> block of Pulumi.yaml
/// and the key table of docs/configuration.md, each between two marker lines so the text around it stays the
/// author's. <c>dotnet run --project tools/PgHa.ConfigSchema -- --write</c> writes them; a test fails when the
/// committed files differ from what it would write.
/// </summary>
public static class SettingsReference
{
    /// <summary>The command that rewrites both files from the declarations.</summary>
    public const string WriteCommand = "dotnet run --project tools/PgHa.ConfigSchema -- --write";

    public const string PulumiYamlBegin = "# BEGIN generated: config keys";
    public const string PulumiYamlEnd = "# END generated: config keys";
    public const string DocTableBegin = "<!-- BEGIN generated: key table -->";
    public const string DocTableEnd = "<!-- END generated: key table -->";

    /// <summary>The Pulumi.yaml lines from <see cref="PulumiYamlBegin"/> to <see cref="PulumiYamlEnd"/>.</summary>
    public static string PulumiConfigBlock()
    {
        var text = new StringBuilder();
        text.Append(PulumiYamlBegin).Append('\n');
        text.Append("# Every key the program reads (pgha: namespace), generated from infra/PgHa.Core/Settings/ConfigKeys.cs:\n");
        text.Append("# edit a declaration there, then run `").Append(WriteCommand).Append("`. Defaults live in the\n");
        text.Append("# declarations (no key declares one here); docs/configuration.md explains each key.\n");
        text.Append("config:\n");
        foreach (var key in ConfigKeys.All)
        {
            text.Append("  ").Append(key.Name).Append(":\n");
            text.Append("    type: ").Append(TypeName(key.Type)).Append('\n');
            if (key.Secret)
            {
                text.Append("    secret: true\n");
            }

            text.Append("    description: ").Append(YamlQuoted(key.Description)).Append('\n');
        }

        text.Append(PulumiYamlEnd).Append('\n');
        return text.ToString();
    }

    /// <summary>The docs/configuration.md lines from <see cref="DocTableBegin"/> to <see cref="DocTableEnd"/>.</summary>
    public static string KeyTable()
    {
        var text = new StringBuilder();
        text.Append(DocTableBegin).Append('\n');
        text.Append("| key | type | meaning, limits and default |\n");
        text.Append("|---|---|---|\n");
        foreach (var key in ConfigKeys.Documented)
        {
            text.Append("| `").Append(key.FullName).Append("` | ").Append(TypeName(key.Type)).Append(key.Secret ? " (secret)" : string.Empty)
                .Append(" | ").Append(MarkdownText(key.Description)).Append(" |\n");
        }

        text.Append(DocTableEnd).Append('\n');
        return text.ToString();
    }

    /// <summary>Pulumi.yaml with its generated block replaced by what the declarations say now.</summary>
    public static string UpdatePulumiYaml(string current) => Replace(current, PulumiYamlBegin, PulumiYamlEnd, PulumiConfigBlock(), "Pulumi.yaml");

    /// <summary>docs/configuration.md with its generated table replaced by what the declarations say now.</summary>
    public static string UpdateConfigurationDoc(string current) => Replace(current, DocTableBegin, DocTableEnd, KeyTable(), "docs/configuration.md");

    /// <summary>How Pulumi.yaml's config schema spells a type.</summary>
    public static string TypeName(ConfigKeyType type) => type switch
    {
        ConfigKeyType.Integer => "integer",
        ConfigKeyType.Boolean => "boolean",
        _ => "string",
    };

    private static string YamlQuoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Text for a table cell: outside `code`, what Markdown would read as markup is escaped (a '_' inside a word, as in
    /// POSTGRES_HOST, is not markup and stays as it is).
    /// </summary>
    private static string MarkdownText(string text)
    {
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i += 2)
        {
            var part = parts[i];
            var escaped = new StringBuilder();
            for (var j = 0; j < part.Length; j++)
            {
                var c = part[j];
                var insideWord = j > 0 && j < part.Length - 1 && char.IsLetterOrDigit(part[j - 1]) && char.IsLetterOrDigit(part[j + 1]);
                if (c is '|' or '<' or '*' or '[' or ']' or '\\' || c == '_' && !insideWord)
                {
                    escaped.Append('\\');
                }

                escaped.Append(c);
            }

            parts[i] = escaped.ToString();
        }

        return string.Join('`', parts);
    }

    /// <summary>
    /// <paramref name="current"/> with the lines from the one starting with <paramref name="begin"/> to the one starting
    /// with <paramref name="end"/> (both included) replaced by <paramref name="generated"/>.
    /// </summary>
    private static string Replace(string current, string begin, string end, string generated, string file)
    {
        var lines = current.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith(begin, StringComparison.Ordinal));
        var last = Array.FindIndex(lines, Math.Max(first, 0), l => l.StartsWith(end, StringComparison.Ordinal));
        if (first < 0 || last < 0)
        {
            throw new InvalidOperationException(
                $"{file} has no generated section: put a line \"{begin}\" and, below it, a line \"{end}\" where it goes, then run {WriteCommand}.");
        }

        var before = string.Join('\n', lines[..first]);
        var after = string.Join('\n', lines[(last + 1)..]);
        return (first > 0 ? before + "\n" : string.Empty) + generated + after;
    }
}
