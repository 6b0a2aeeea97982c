using PgHa.Operations.Kubernetes;
using PgHa.Testing;

namespace PgHa.Operations.Tests;

/// <summary>Finding and merging the kubeconfig as kubectl does (KUBECONFIG's list form, first file wins).</summary>
public sealed class KubeconfigFilesTests : IDisposable
{
    private readonly KubeconfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Unset_or_empty_KUBECONFIG_means_the_default_file()
    {
        Assert.Equal(["/home/x/.kube/config"], KubeconfigFiles.For(null, "/home/x/.kube/config").Paths);
        Assert.False(KubeconfigFiles.For(null, "/home/x/.kube/config").FromVariable);
        Assert.Equal(["/home/x/.kube/config"], KubeconfigFiles.For("", "/home/x/.kube/config").Paths);
        // Empty entries and repeats in the list are dropped; the default is not added to a list.
        var listed = KubeconfigFiles.For($"/a{Path.PathSeparator}{Path.PathSeparator}/b{Path.PathSeparator}/a", "/home/x/.kube/config");
        Assert.Equal(["/a", "/b"], listed.Paths);
        Assert.True(listed.FromVariable);
    }

    [Fact]
    public void The_list_form_is_merged_the_first_file_that_sets_a_value_wins_and_missing_files_are_skipped()
    {
        // a: current-context names a context that only b defines; both define "shared" and cluster "a-cluster".
        var a = _dir.Write("a/config", KubeconfigDirectory.Yaml("only-in-b", ("shared", "a-cluster", "http://127.0.0.1:1001")));
        var b = _dir.Write("b/config", KubeconfigDirectory.Yaml("shared",
            ("only-in-b", "b-cluster", "http://127.0.0.1:1002"), ("shared", "b-shared-cluster", "http://127.0.0.1:1003")));
        var c = _dir.Write("c/config", KubeconfigDirectory.Yaml(null, ("in-c", "a-cluster", "http://127.0.0.1:1004")));
        var kubeconfig = KubeconfigFiles.For(string.Join(Path.PathSeparator, a, _dir.Missing("gone"), b, c), "/nonexistent/default");

        var current = kubeconfig.ClientConfiguration(null);
        Assert.Equal(("only-in-b", "http://127.0.0.1:1002"), (current.CurrentContext, current.Host));
        Assert.Equal("http://127.0.0.1:1001", kubeconfig.ClientConfiguration("shared").Host);
        // c's context refers to cluster "a-cluster", which a defined first.
        Assert.Equal("http://127.0.0.1:1001", kubeconfig.ClientConfiguration("in-c").Host);
        Assert.Equal(
            [("shared", "a-cluster"), ("only-in-b", "b-cluster"), ("in-c", "a-cluster")],
            kubeconfig.Contexts());
    }

    [Fact]
    public void A_relative_certificate_path_is_relative_to_the_file_that_names_it()
    {
        var a = _dir.Write("a/config", KubeconfigDirectory.Yaml("tls", ("plain", "plain-cluster", "http://127.0.0.1:1001")));
        var b = _dir.Write("b/config", """
            apiVersion: v1
            kind: Config
            contexts:
            - name: tls
              context: {cluster: tls-cluster, user: tls-user}
            clusters:
            - name: tls-cluster
              cluster: {server: "https://127.0.0.1:1443", certificate-authority: ca.crt}
            users:
            - name: tls-user
              user: {token: not-a-secret}
            """);
        SelfSignedCertificate.WritePem(Path.Combine(_dir.Path, "b", "ca.crt"), Path.Combine(_dir.Path, "b", "ca.key"));

        var configuration = KubeconfigFiles.For(a + Path.PathSeparator + b, "/nonexistent/default").ClientConfiguration(null);
        Assert.Equal("CN=localhost", Assert.Single(configuration.SslCaCerts).Subject);
    }

    [Fact]
    public void No_kubeconfig_names_every_file_looked_at()
    {
        var kubeconfig = KubeconfigFiles.For(_dir.Missing("one") + Path.PathSeparator + _dir.Missing("two"), "/nonexistent/default");
        var e = Assert.Throws<KubeconfigUnusableException>(() => kubeconfig.ClientConfiguration(null));
        Assert.StartsWith("No kubeconfig: looked at ", e.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Missing("one"), e.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Missing("two"), e.Message, StringComparison.Ordinal);
        Assert.Contains("$KUBECONFIG", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/nonexistent/default", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".kube/config", e.Message, StringComparison.Ordinal);

        var fallback = Assert.Throws<KubeconfigUnusableException>(() => KubeconfigFiles.For(null, _dir.Missing("default")).ClientConfiguration(null));
        Assert.StartsWith($"No kubeconfig: looked at {_dir.Missing("default")}, which does not exist.", fallback.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_context_or_none_names_the_contexts_and_files()
    {
        var a = _dir.Write("config", KubeconfigDirectory.Yaml(null, ("one", "c1", "http://127.0.0.1:1001"), ("two", "c2", "http://127.0.0.1:1002")));
        var kubeconfig = KubeconfigFiles.For(a, "/nonexistent/default");

        var unknown = Assert.Throws<KubeconfigUnusableException>(() => kubeconfig.ClientConfiguration("three"));
        Assert.Equal($"--context three: no such context in {a} (from $KUBECONFIG). Contexts: one, two.", unknown.Message);
        var none = Assert.Throws<KubeconfigUnusableException>(() => kubeconfig.ClientConfiguration(null));
        Assert.Equal($"No current context in {a} (from $KUBECONFIG); pass --context <one of: one, two>.", none.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_kubeconfig_is_named()
    {
        var bad = _dir.Write("config", "contexts: [unclosed\n");
        var e = Assert.Throws<KubeconfigUnusableException>(() => KubeconfigFiles.For(bad, "/nonexistent/default").ClientConfiguration(null));
        Assert.StartsWith($"{bad} is not a readable kubeconfig: ", e.Message, StringComparison.Ordinal);
    }
}
