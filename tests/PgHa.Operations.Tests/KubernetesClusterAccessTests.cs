using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Moq;
using PgHa.Operations.Access;

namespace PgHa.Operations.Tests;

/// <summary>The Kubernetes side of the command, with Moq on the client (no API server here).</summary>
public class KubernetesClusterAccessTests
{
    private static readonly ClusterTarget Target = new("team-db", "orders", null, "orders-superuser", 3, 1024, false);

    private static (Mock<IKubernetes> Client, Mock<ICoreV1Operations> Core) Client()
    {
        var core = new Mock<ICoreV1Operations>(MockBehavior.Strict);
        var client = new Mock<IKubernetes>(MockBehavior.Strict);
        client.SetupGet(c => c.CoreV1).Returns(core.Object);
        client.Setup(c => c.Dispose());
        return (client, core);
    }

    private static V1Pod Pod(string name, string? role, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = role is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["role"] = role } },
        Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    [Fact]
    public async Task Members_are_the_clusters_pods_by_label_with_role_and_readiness()
    {
        var (client, core) = Client();
        string? selector = null;
        core.Setup(c => c.ListNamespacedPodWithHttpMessagesAsync("team-db", It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(),
                It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, bool? _, string _, string _, string labelSelector, int? _, string _, string _, bool? _, string _, int? _, bool? _, bool? _,
                IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) => selector = labelSelector)
            .ReturnsAsync(new HttpOperationResponse<V1PodList>
            {
                Body = new V1PodList { Items = [Pod("orders-1", "replica", true), Pod("orders-0", "primary", true), Pod("orders-2", null, false)] },
            });

        await using var access = new KubernetesClusterAccess(client.Object, Target);
        var members = await access.ListMembersAsync(CancellationToken.None);

        Assert.Contains("app.kubernetes.io/instance=orders", selector, StringComparison.Ordinal);
        Assert.Equal(
            [new MemberPod("orders-0", "primary", true), new MemberPod("orders-1", "replica", true), new MemberPod("orders-2", null, false)],
            members);
    }

    [Fact]
    public async Task The_superuser_comes_from_the_clusters_secret()
    {
        var (client, core) = Client();
        core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-superuser", "team-db", It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HttpOperationResponse<V1Secret>
            {
                Body = new V1Secret { Data = new Dictionary<string, byte[]> { ["username"] = "postgres"u8.ToArray(), ["password"] = "Pa55-from-secret"u8.ToArray() } },
            });

        TlsSecret(core, null);

        await using var access = new KubernetesClusterAccess(client.Object, Target);
        var credentials = await access.GetSuperuserAsync(CancellationToken.None);
        Assert.Equal(("postgres", "Pa55-from-secret"), (credentials.Username, credentials.Password));
        Assert.DoesNotContain("Pa55", credentials.ToString(), StringComparison.Ordinal);
        Assert.Null(credentials.ServerCa);
    }

    /// <summary>The cluster's certificate Secret: with ca.crt, or missing (404) when <paramref name="ca"/> is null.</summary>
    private static void TlsSecret(Mock<ICoreV1Operations> core, string? ca)
    {
        var read = core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-tls", "team-db", It.IsAny<bool?>(),
            It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()));
        if (ca is null)
        {
            read.ThrowsAsync(new HttpOperationException("not found")
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound), string.Empty),
            });
        }
        else
        {
            read.ReturnsAsync(new HttpOperationResponse<V1Secret> { Body = new V1Secret { Data = new Dictionary<string, byte[]> { ["ca.crt"] = Encoding.UTF8.GetBytes(ca) } } });
        }
    }

    [Fact]
    public async Task The_CA_of_the_clusters_certificate_secret_is_what_members_are_verified_with()
    {
        var (client, core) = Client();
        core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-superuser", "team-db", It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HttpOperationResponse<V1Secret>
            {
                Body = new V1Secret { Data = new Dictionary<string, byte[]> { ["username"] = "postgres"u8.ToArray(), ["password"] = "Pa55-from-secret"u8.ToArray() } },
            });
        TlsSecret(core, "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");

        await using var access = new KubernetesClusterAccess(client.Object, Target);
        var credentials = await access.GetSuperuserAsync(CancellationToken.None);
        Assert.Equal("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n", credentials.ServerCa);
    }

    private static void OperatorSecret(Mock<ICoreV1Operations> core, Dictionary<string, byte[]>? data)
    {
        var read = core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-operator-tls", "team-db", It.IsAny<bool?>(),
            It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()));
        if (data is null)
        {
            read.ThrowsAsync(new HttpOperationException("not found")
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound), string.Empty),
            });
        }
        else
        {
            read.ReturnsAsync(new HttpOperationResponse<V1Secret> { Body = new V1Secret { Data = data } });
        }
    }

    [Fact]
    public async Task Patroni_is_called_with_the_operators_certificate_from_its_secret_or_over_plain_http_without_one()
    {
        var (client, core) = Client();
        OperatorSecret(core, new Dictionary<string, byte[]>
        {
            ["ca.crt"] = "CA-PEM"u8.ToArray(), ["tls.crt"] = "OPERATOR-PEM"u8.ToArray(), ["tls.key"] = "OPERATOR-KEY-PEM"u8.ToArray(),
        });
        await using (var access = new KubernetesClusterAccess(client.Object, Target))
        {
            Assert.Equal(new PgHa.Operations.Patroni.PatroniApiCredentials("CA-PEM", "OPERATOR-PEM", "OPERATOR-KEY-PEM"),
                await access.GetPatroniApiCredentialsAsync(CancellationToken.None));
        }

        var (old, oldCore) = Client();
        OperatorSecret(oldCore, null);
        await using (var access = new KubernetesClusterAccess(old.Object, Target))
        {
            Assert.Null(await access.GetPatroniApiCredentialsAsync(CancellationToken.None));
        }

        var (broken, brokenCore) = Client();
        OperatorSecret(brokenCore, new Dictionary<string, byte[]> { ["ca.crt"] = "CA-PEM"u8.ToArray(), ["tls.crt"] = "OPERATOR-PEM"u8.ToArray() });
        await using (var access = new KubernetesClusterAccess(broken.Object, Target))
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => access.GetPatroniApiCredentialsAsync(CancellationToken.None));
            Assert.StartsWith("Secret team-db/orders-operator-tls has no key \"tls.key\"", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("PEM", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_secret_without_the_password_key_is_named()
    {
        var (client, core) = Client();
        core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-superuser", "team-db", It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HttpOperationResponse<V1Secret> { Body = new V1Secret { Data = new Dictionary<string, byte[]> { ["username"] = Encoding.UTF8.GetBytes("postgres") } } });

        await using var access = new KubernetesClusterAccess(client.Object, Target);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => access.GetSuperuserAsync(CancellationToken.None));
        Assert.Equal("Secret team-db/orders-superuser has no key \"password\".", e.Message);
    }

    [Fact]
    public async Task Status_and_verify_credentials_are_the_monitoring_roles_from_its_secret()
    {
        var (client, core) = Client();
        core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-monitoring", "team-db", It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HttpOperationResponse<V1Secret>
            {
                Body = new V1Secret { Data = new Dictionary<string, byte[]> { ["username"] = "pgha_monitor"u8.ToArray(), ["password"] = "Mon-Pa55"u8.ToArray() } },
            });
        TlsSecret(core, null);

        await using var access = new KubernetesClusterAccess(client.Object, Target);
        var credentials = await access.GetMonitoringAsync(CancellationToken.None);
        Assert.Equal(("pgha_monitor", "Mon-Pa55"), (credentials.Username, credentials.Password));
        // The superuser's Secret was never read (the strict mock would have thrown).
        core.Verify(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-superuser", It.IsAny<string>(), It.IsAny<bool?>(),
            It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_missing_credentials_secret_is_named_with_what_brings_it()
    {
        var (client, core) = Client();
        core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync("orders-monitoring", "team-db", It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpOperationException("not found")
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound), string.Empty),
            });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PgHa.Operations.Kubernetes.CredentialsSecret.ReadAsync(client.Object, "team-db", "orders-monitoring", CancellationToken.None));
        Assert.StartsWith("Secret team-db/orders-monitoring does not exist.", e.Message, StringComparison.Ordinal);
        Assert.Contains("pulumi up", e.Message, StringComparison.Ordinal);
    }
}
