using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Moq;

namespace PgHa.Operations.Tests;

/// <summary>
/// The Kubernetes API as the preflight's reader sees it: strict Moq mocks of <see cref="IKubernetes"/> that answer
/// get and list from the objects held here (404 for what is absent, 403 for what is <see cref="Forbidden"/>) and
/// throw on any other call, so a write would fail the test.
/// </summary>
internal sealed class FakeKubernetesApi
{
    public List<V1Namespace> Namespaces { get; } = [];
    public List<V1StorageClass> StorageClasses { get; } = [];
    public List<V1CSIDriver> CsiDrivers { get; } = [];
    public List<V1Node> Nodes { get; } = [];
    public HashSet<string> CustomResourceDefinitions { get; } = [];
    public List<V1ConfigMap> ConfigMaps { get; } = [];
    public List<V1Deployment> Deployments { get; } = [];
    public List<V1Secret> Secrets { get; } = [];
    public List<V1StatefulSet> StatefulSets { get; } = [];
    public List<V1PersistentVolumeClaim> Claims { get; } = [];

    /// <summary>Resource kinds (plural, lower case: "nodes", "secrets") the API refuses with 403.</summary>
    public HashSet<string> Forbidden { get; } = [];

    /// <summary>Resource kinds the API fails with 500.</summary>
    public HashSet<string> Failing { get; } = [];

    /// <summary>Every request, as "verb kind [namespace/]name".</summary>
    public List<string> Requests { get; } = [];

    public static V1ObjectMeta Meta(string name, string? ns = null, IDictionary<string, string>? labels = null) =>
        new() { Name = name, NamespaceProperty = ns, Labels = labels };

    public IKubernetes Client()
    {
        var core = new Mock<ICoreV1Operations>(MockBehavior.Strict);
        var storage = new Mock<IStorageV1Operations>(MockBehavior.Strict);
        var apps = new Mock<IAppsV1Operations>(MockBehavior.Strict);
        var extensions = new Mock<IApiextensionsV1Operations>(MockBehavior.Strict);
        var client = new Mock<IKubernetes>(MockBehavior.Strict);
        client.SetupGet(c => c.CoreV1).Returns(core.Object);
        client.SetupGet(c => c.StorageV1).Returns(storage.Object);
        client.SetupGet(c => c.AppsV1).Returns(apps.Object);
        client.SetupGet(c => c.ApiextensionsV1).Returns(extensions.Object);

        core.Setup(c => c.ReadNamespaceWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string name, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                Get("namespaces", name, Namespaces.FirstOrDefault(n => n.Metadata.Name == name)));
        core.Setup(c => c.ListNodeWithHttpMessagesAsync(It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(),
                It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => List("nodes", new V1NodeList { Items = Nodes }));
        core.Setup(c => c.ReadNamespacedConfigMapWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string ns, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                Get("configmaps", $"{ns}/{name}", ConfigMaps.FirstOrDefault(m => m.Metadata.Name == name && m.Metadata.NamespaceProperty == ns)));
        core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string ns, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                Get("secrets", $"{ns}/{name}", Secrets.FirstOrDefault(s => s.Metadata.Name == name && s.Metadata.NamespaceProperty == ns)));
        core.Setup(c => c.ListNamespacedPersistentVolumeClaimWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(),
                It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(),
                It.IsAny<int?>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string ns, bool? _, string _, string _, string _, int? _, string _, string _, bool? _, string _, int? _, bool? _, bool? _,
                    IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                List("persistentvolumeclaims", new V1PersistentVolumeClaimList { Items = Claims.Where(c => c.Metadata.NamespaceProperty == ns).ToList() }));
        storage.Setup(s => s.ListStorageClassWithHttpMessagesAsync(It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(),
                It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => List("storageclasses", new V1StorageClassList { Items = StorageClasses }));
        storage.Setup(s => s.ListCSIDriverWithHttpMessagesAsync(It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(),
                It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => List("csidrivers", new V1CSIDriverList { Items = CsiDrivers }));
        apps.Setup(a => a.ReadNamespacedDeploymentWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string ns, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                Get("deployments", $"{ns}/{name}", Deployments.FirstOrDefault(d => d.Metadata.Name == name && d.Metadata.NamespaceProperty == ns)));
        apps.Setup(a => a.ReadNamespacedStatefulSetWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string ns, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                Get("statefulsets", $"{ns}/{name}", StatefulSets.FirstOrDefault(s => s.Metadata.Name == name && s.Metadata.NamespaceProperty == ns)));
        extensions.Setup(e => e.ReadCustomResourceDefinitionWithHttpMessagesAsync(It.IsAny<string>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((string name, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                Get("customresourcedefinitions", name, CustomResourceDefinitions.Contains(name)
                    ? new V1CustomResourceDefinition { Metadata = Meta(name) }
                    : null));
        return client.Object;
    }

    private Task<HttpOperationResponse<T>> Get<T>(string kind, string name, T? found)
        where T : class
    {
        Requests.Add($"get {kind} {name}");
        Refuse(kind);
        return found is null
            ? throw Status(HttpStatusCode.NotFound)
            : Task.FromResult(new HttpOperationResponse<T> { Body = found });
    }

    private Task<HttpOperationResponse<T>> List<T>(string kind, T list)
    {
        Requests.Add($"list {kind}");
        Refuse(kind);
        return Task.FromResult(new HttpOperationResponse<T> { Body = list });
    }

    private void Refuse(string kind)
    {
        if (Forbidden.Contains(kind))
        {
            throw Status(HttpStatusCode.Forbidden);
        }

        if (Failing.Contains(kind))
        {
            throw Status(HttpStatusCode.InternalServerError);
        }
    }

    private static HttpOperationException Status(HttpStatusCode code) => new($"Operation returned an invalid status code '{code}'")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code) { ReasonPhrase = code.ToString() }, string.Empty),
    };
}
