using PgHa.Core.Settings;

// Usage: dotnet run --project tools/PgHa.ConfigSchema -- --write | --check [--root <repository>]
//   --write  rewrites the generated sections of Pulumi.yaml and docs/configuration.md from the setting declarations
//   --check  changes nothing; exits 1 naming each file whose generated section differs from the declarations
var mode = args.FirstOrDefault(a => a is "--write" or "--check");
var rootIndex = Array.IndexOf(args, "--root");
var root = rootIndex >= 0 && rootIndex + 1 < args.Length ? Path.GetFullPath(args[rootIndex + 1]) : FindRoot(Directory.GetCurrentDirectory());
if (mode is null || root is null)
{
    Console.Error.WriteLine(mode is null
        ? "usage: dotnet run --project tools/PgHa.ConfigSchema -- --write | --check [--root <repository>]"
        : $"no repository root (a folder with Pulumi.yaml and infra/) at or above {Directory.GetCurrentDirectory()}; pass --root <repository>.");
    return 2;
}

(string Path, Func<string, string> Update)[] files =
[
    (Path.Combine(root, "Pulumi.yaml"), SettingsReference.UpdatePulumiYaml),
    (Path.Combine(root, "docs", "configuration.md"), SettingsReference.UpdateConfigurationDoc),
];

var stale = 0;
foreach (var (path, update) in files)
{
    var current = File.ReadAllText(path);
    string wanted;
    try
    {
        wanted = update(current);
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }

    if (wanted == current)
    {
        Console.WriteLine($"{path}: up to date");
        continue;
    }

    if (mode == "--write")
    {
        File.WriteAllText(path, wanted);
        Console.WriteLine($"{path}: written");
    }
    else
    {
        Console.Error.WriteLine($"{path}: differs from the setting declarations; run {SettingsReference.WriteCommand}");
        stale++;
    }
}

return stale == 0 ? 0 : 1;

static string? FindRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "infra")))
        {
            return dir.FullName;
        }
    }

    return null;
}
