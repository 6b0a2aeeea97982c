using PgHa.Core.Kubernetes;
using PgHa.Operations.Kubernetes;
using PgHa.Testing;

namespace PgHa.Operations.Tests;

/// <summary>
/// The preflight's client reaches the cluster the stack deploys to: the EKS kubeconfig as rendered, or the named context
/// in the user's kubeconfig read as kubectl reads it (every file of KUBECONFIG merged).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubeconfigTargetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgha-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_rendered_eks_kubeconfig_gives_a_client_for_its_endpoint_with_a_token_from_aws_eks_get_token()
    {
        // A stand-in for the AWS CLI first on PATH: it records its arguments and answers like `aws eks get-token`.
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var argsFile = Path.Combine(_dir, "aws-args");
        var aws = Path.Combine(bin, "aws");
        File.WriteAllText(aws, $$$"""
            #!/bin/sh
            echo "$@" > '{{{argsFile}}}'
            echo '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"k8s-aws-v1.stand-in"}}'
            """);
        File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var kubeconfig = EksKubeconfig.Render("ideaforge-dev", "https://ABC.gr7.eu-central-1.eks.amazonaws.com", "Q0EtREFUQQ==", "eu-central-1");
        var target = KubeconfigTarget.ForDocument(kubeconfig, "EKS cluster ideaforge-dev");

        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + path);
        try
        {
            var configuration = target.ClientConfiguration();
            Assert.Equal("https://abc.gr7.eu-central-1.eks.amazonaws.com/", new Uri(configuration.Host).ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }

        Assert.Equal("eks get-token --cluster-name ideaforge-dev --region eu-central-1 --output json", File.ReadAllText(argsFile).Trim());
        Assert.Null(target.Context);
        Assert.Equal("EKS cluster ideaforge-dev", target.ToString());
    }

    [Fact]
    public void A_context_is_looked_up_in_the_KUBECONFIG_files_a_missing_one_skipped()
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: one
              cluster: { server: "https://one.example:6443" }
            - name: two
              cluster: { server: "https://two.example:6443" }
            users:
            - name: me
              user: { token: not-a-real-token }
            contexts:
            - name: first
              context: { cluster: one, user: me }
            - name: second
              context: { cluster: two, user: me }
            current-context: first
            """);
        var before = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", path + Path.PathSeparator + Path.Combine(_dir, "absent"));
        try
        {
            var target = KubeconfigTarget.ForContext("second");
            Assert.Equal("https://two.example:6443/", new Uri(target.ClientConfiguration().Host).ToString());
            Assert.Equal("kubeconfig context second", target.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", before);
        }
    }

    [Fact]
    public void Every_file_of_KUBECONFIG_is_merged_as_kubectl_and_pulumi_read_it()
    {
        // The context is defined only in the second file; the first file's "shared" context wins over the second's.
        var first = Path.Combine(_dir, "first");
        File.WriteAllText(first, KubeconfigDirectory.Yaml("shared", ("shared", "first-cluster", "https://first.example:6443")));
        var second = Path.Combine(_dir, "second");
        File.WriteAllText(second, KubeconfigDirectory.Yaml(null,
            ("shared", "second-cluster", "https://second.example:6443"), ("eks-dev", "eks-cluster", "https://eks.example:6443")));
        var kubeconfig = KubeconfigFiles.For(first + Path.PathSeparator + second, Path.Combine(_dir, "no-default"));

        Assert.Equal("https://eks.example:6443/", new Uri(KubeconfigTarget.ForContext("eks-dev").ClientConfiguration(kubeconfig).Host).ToString());
        Assert.Equal("https://first.example:6443/", new Uri(KubeconfigTarget.ForContext("shared").ClientConfiguration(kubeconfig).Host).ToString());
    }

    [Fact]
    public void A_context_in_none_of_the_files_names_the_target_the_files_and_the_contexts()
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, KubeconfigDirectory.Yaml(null, ("one", "c1", "https://one.example:6443")));
        var kubeconfig = KubeconfigFiles.For(path, Path.Combine(_dir, "no-default"));

        var e = Assert.Throws<KubeconfigUnusableException>(() => KubeconfigTarget.ForContext("prod-admin").ClientConfiguration(kubeconfig));
        Assert.Equal($"kubeconfig context prod-admin: no such context in {path} (from $KUBECONFIG). Contexts: one.", e.Message);
        // The program's preflight turns it into its own message with the fix (an InvalidOperationException it catches).
        Assert.IsAssignableFrom<InvalidOperationException>(e);
    }
}
