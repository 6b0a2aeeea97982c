using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PgHa.Core.Tests;

/// <summary>
/// The GitHub workflows and their shared action: they parse, have what GitHub requires, pin every action to a
/// commit, preview both stacks on pull requests with one edited comment each, deploy dev then prod behind an
/// approval, set up .NET before Pulumi, and take every credential from secrets.
/// </summary>
public partial class WorkflowFileTests
{
    private const string Preview = ".github/workflows/pulumi-preview.yml";
    private const string Deploy = ".github/workflows/pulumi-deploy.yml";
    private const string PulumiAction = ".github/actions/pulumi-stack/action.yml";

    public static TheoryData<string> Files() =>
    [
        .. Directory.GetFiles(Path.Combine(RepoFiles.Root, ".github", "workflows"), "*.yml").Select(f => Path.GetRelativePath(RepoFiles.Root, f)),
        PulumiAction,
    ];

    // owner/repo[/path]@<40 hex> # vX.Y.Z
    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedUse();

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepoFiles.Read(path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? Get(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlNode node, string key) => (Get(node, key) as YamlScalarNode)?.Value;

    private static IEnumerable<(string Name, YamlMappingNode Job)> Jobs(YamlMappingNode workflow) =>
        ((YamlMappingNode)Get(workflow, "jobs")!).Children.Select(j => (((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value));

    private static IEnumerable<YamlMappingNode> Steps(YamlNode owner) => ((YamlSequenceNode)Get(owner, "steps")!).Children.Cast<YamlMappingNode>();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_parses_and_every_step_uses_or_runs(string path)
    {
        var root = Load(path);
        Assert.False(string.IsNullOrWhiteSpace(Text(root, "name")), $"{path}: no name");
        var owners = path == PulumiAction ? [Get(root, "runs")!] : Jobs(root).Select(j => (YamlNode)j.Job).ToArray();
        if (path != PulumiAction)
        {
            Assert.NotNull(Get(root, "on"));
            Assert.All(Jobs(root), j => Assert.False(string.IsNullOrWhiteSpace(Text(j.Job, "runs-on")), $"{path}: job {j.Name} has no runs-on"));
            Assert.All(Jobs(root), j => Assert.NotNull(Text(j.Job, "timeout-minutes")));
        }

        Assert.All(owners.SelectMany(Steps), step => Assert.True(Get(step, "uses") is not null ^ Get(step, "run") is not null,
            $"{path}: a step needs exactly one of uses/run"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_action_is_pinned_to_a_commit_with_its_version_noted(string path)
    {
        var uses = RepoFiles.Read(path).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("uses:", StringComparison.Ordinal) || l.StartsWith("- uses:", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("uses:", StringComparison.Ordinal) + 5)..].Trim())
            .Where(u => !u.StartsWith("./", StringComparison.Ordinal))
            .ToArray();
        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.Matches(PinnedUse(), u));
    }

    [Fact]
    public void The_test_suite_runs_in_a_debian_container_allowed_to_cut_links_and_mount_a_small_disk()
    {
        var test = Jobs(Load(Preview)).Single(j => j.Name == "test").Job;
        var container = Get(test, "container");
        Assert.True(container is YamlMappingNode, "the test job needs a container with options (image and capabilities)");
        Assert.StartsWith("debian:", Text(container!, "image"), StringComparison.Ordinal);
        var options = Text(container!, "options") ?? "";
        // The fault suite adds nftables rules (NET_ADMIN) and mounts a tmpfs for a member's data (SYS_ADMIN).
        Assert.Contains("--cap-add=NET_ADMIN", options, StringComparison.Ordinal);
        Assert.Contains("--cap-add=SYS_ADMIN", options, StringComparison.Ordinal);
        Assert.Contains(Steps(test), s => Text(s, "run")?.Contains("scripts/test.sh", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Pull_requests_preview_dev_and_prod_with_one_edited_comment_each()
    {
        var workflow = Load(Preview);
        Assert.NotNull(Get(Get(workflow, "on")!, "pull_request"));
        Assert.Equal("write", Text(Get(workflow, "permissions")!, "pull-requests"));
        Assert.Equal("write", Text(Get(workflow, "permissions")!, "id-token"));
        var preview = Jobs(workflow).Single(j => j.Name == "preview").Job;
        var stacks = ((YamlSequenceNode)Get(Get(Get(preview, "strategy")!, "matrix")!, "stack")!).Children.Select(s => ((YamlScalarNode)s).Value);
        Assert.Equal(["dev", "prod"], stacks);
        Assert.All(stacks, s => Assert.True(File.Exists(Path.Combine(RepoFiles.Root, $"Pulumi.{s}.yaml")), $"no Pulumi.{s}.yaml"));
        var run = Steps(preview).Single(s => Text(s, "uses") == "./.github/actions/pulumi-stack");
        Assert.Equal("preview", Text(Get(run, "with")!, "command"));
        Assert.Equal("true", Text(Get(run, "with")!, "comment-on-pr"));

        var pulumi = Steps(Get(Load(PulumiAction), "runs")!).Single(s => Text(s, "uses")!.StartsWith("pulumi/actions@", StringComparison.Ordinal));
        Assert.Equal("true", Text(Get(pulumi, "with")!, "edit-pr-comment"));
        Assert.Equal("${{ inputs.comment-on-pr }}", Text(Get(pulumi, "with")!, "comment-on-pr"));

        var test = Jobs(workflow).Single(j => j.Name == "test").Job;
        Assert.Contains(Steps(test), s => Text(s, "run")?.Contains("scripts/test.sh", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Merges_deploy_dev_then_prod_behind_the_prod_environment()
    {
        var workflow = Load(Deploy);
        var push = Get(Get(workflow, "on")!, "push")!;
        Assert.Equal(["main"], ((YamlSequenceNode)Get(push, "branches")!).Children.Select(b => ((YamlScalarNode)b).Value));
        var jobs = Jobs(workflow).ToDictionary(j => j.Name, j => j.Job);
        Assert.Equal("dev", Text(jobs["up-dev"], "environment"));
        Assert.Equal("prod", Text(jobs["up-prod"], "environment"));
        Assert.Equal("up-dev", Text(jobs["up-prod"], "needs"));
        foreach (var (stack, job) in new[] { ("dev", jobs["up-dev"]), ("prod", jobs["up-prod"]) })
        {
            var with = Get(Steps(job).Single(s => Text(s, "uses") == "./.github/actions/pulumi-stack"), "with")!;
            Assert.Equal(("up", stack), (Text(with, "command"), Text(with, "stack")));
        }

        Assert.Equal("false", Text(Get(workflow, "concurrency")!, "cancel-in-progress"));
    }

    [Fact]
    public void Dotnet_is_set_up_before_pulumi_runs()
    {
        var steps = Steps(Get(Load(PulumiAction), "runs")!).Select(s => Text(s, "uses") ?? string.Empty).ToList();
        var dotnet = steps.FindIndex(u => u.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
        var pulumi = steps.FindIndex(u => u.StartsWith("pulumi/actions@", StringComparison.Ordinal));
        Assert.True(dotnet >= 0 && pulumi > dotnet, "setup-dotnet must come before pulumi/actions");
        Assert.True(steps.FindIndex(u => u.StartsWith("aws-actions/configure-aws-credentials@", StringComparison.Ordinal)) < pulumi);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Credentials_come_only_from_secrets_or_oidc(string path)
    {
        var text = RepoFiles.Read(path);
        Assert.DoesNotContain("aws-access-key-id", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"AKIA[0-9A-Z]{16}|pul-[0-9a-f]{40}", text);
        // Every file hands over a credential somewhere (token or role): each one must be a reference.
        var assignments = TokenAssignment().Matches(text);
        Assert.NotEmpty(assignments);
        foreach (Match m in assignments)
        {
            Assert.Matches(@"^\$\{\{ (secrets|inputs)\.[A-Za-z_-]+ \}\}$", m.Groups[1].Value.Trim());
        }
    }

    // Any credential-like key assigned a value: PULUMI_ACCESS_TOKEN, *_ROLE_ARN, aws-role-arn, role-to-assume.
    [GeneratedRegex(@"(?m)^\s*(?:PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE|aws-role-arn|role-to-assume):[ \t]+(\S.*)$")]
    private static partial Regex TokenAssignment();
}
