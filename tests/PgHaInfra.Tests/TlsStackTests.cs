using System.Collections.Immutable;
using System.Text.Json;
using PgHa.Core.Tls;
using PgHa.Infra.Components;
using Pulumi;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>The cluster's certificate in the stack: stable across runs, mounted into the pods, its CA handed to clients, its key secret.</summary>
[Collection(PulumiCollection.Name)]
public class TlsStackTests
{
    private static ImmutableDictionary<string, object> Map(object value) => (ImmutableDictionary<string, object>)value;

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static ImmutableDictionary<string, object> PodTemplate(StackRun run) =>
        Map(Map(Assert.Single(run.OfType("kubernetes:apps/v1:StatefulSet")).Inputs["spec"])["template"]);

    private static ImmutableDictionary<string, object> Named(StackRun run, string type, string name) =>
        Assert.Single(run.OfType(type), r => Map(r.Inputs["metadata"])["name"].Equals(name)).Inputs;

    [Fact]
    public async Task Two_runs_on_the_same_config_give_the_same_pod_template_secret_and_ca()
    {
        var first = await RunAsync(StackVariants.All["everything on"]);
        var second = await RunAsync(StackVariants.All["everything on"]);
        Assert.Equal(Json(PodTemplate(first)), Json(PodTemplate(second)));
        Assert.Equal(Json(Named(first, "kubernetes:core/v1:Secret", "orders-tls")), Json(Named(second, "kubernetes:core/v1:Secret", "orders-tls")));
        Assert.Equal(Json(Named(first, "kubernetes:core/v1:ConfigMap", "orders-ca")), Json(Named(second, "kubernetes:core/v1:ConfigMap", "orders-ca")));
        // What makes them the same: the certificates come from the provider's state, with the same inputs on both runs.
        Assert.Equal(Json(Assert.Single(first.OfType(ClusterCertificatesContract.ResourceType)).Inputs),
            Json(Assert.Single(second.OfType(ClusterCertificatesContract.ResourceType)).Inputs));
    }

    [Fact]
    public async Task The_certificate_names_every_service_and_member_and_is_renewed_by_the_contracts_window()
    {
        var run = await RunAsync(ValidConfig(("pgha:replicas", "4")));
        var inputs = Assert.Single(run.OfType(ClusterCertificatesContract.ResourceType)).Inputs;
        Assert.Equal(ClusterTlsNames.For("orders", "team-db", 4), ((IEnumerable<object>)inputs["dnsNames"]).Cast<string>());
        Assert.Contains("orders-3.orders-headless.team-db.svc.cluster.local", ((IEnumerable<object>)inputs["dnsNames"]).Cast<string>());
        Assert.Equal("pgha team-db/orders", inputs["commonName"]);
        Assert.Equal(365, Convert.ToInt32(inputs["validityDays"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(30, Convert.ToInt32(inputs["renewBeforeDays"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_pods_mount_the_tls_secret_and_spilo_uses_its_files()
    {
        var run = await RunAsync(ValidConfig());
        var spec = Map(PodTemplate(run)["spec"]);
        var volume = Map(Assert.Single((IEnumerable<object>)spec["volumes"], v => Map(v)["name"].Equals("tls")));
        Assert.Equal("orders-tls", Map(volume["secret"])["secretName"]);
        Assert.Equal(0x1A0, Convert.ToInt32(Map(volume["secret"])["defaultMode"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(103, Convert.ToInt32(Map(spec["securityContext"])["fsGroup"], System.Globalization.CultureInfo.InvariantCulture));
        var container = Map(Assert.Single((IEnumerable<object>)spec["containers"], c => Map(c)["name"].Equals("postgres")));
        var mount = Map(Assert.Single((IEnumerable<object>)container["volumeMounts"], m => Map(m)["name"].Equals("tls")));
        Assert.Equal(("/tls", true), ((string)mount["mountPath"], (bool)mount["readOnly"]));
        var env = ((IEnumerable<object>)container["env"]).Select(Map).Where(e => e.ContainsKey("value"))
            .ToDictionary(e => (string)e["name"], e => (string)e["value"]);
        Assert.Equal("/tls/tls.crt", env["SSL_CERTIFICATE_FILE"]);
        Assert.Equal("/tls/tls.key", env["SSL_PRIVATE_KEY_FILE"]);
        Assert.Equal("/tls/ca.crt", env["SSL_CA_FILE"]);
        // Patroni's REST API serves the same certificate and verifies client certificates against the same CA.
        Assert.Equal("/tls/tls.crt", env["SSL_RESTAPI_CERTIFICATE_FILE"]);
        Assert.Equal("/tls/tls.key", env["SSL_RESTAPI_PRIVATE_KEY_FILE"]);
        Assert.Equal("/tls/ca.crt", env["SSL_RESTAPI_CA_FILE"]);
        // So the kubelet probes it over HTTPS (it does not verify; GETs need no client certificate).
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            var get = Map(Map(container[probe])["httpGet"]);
            Assert.Equal(("HTTPS", 8008), ((string)get["scheme"], Convert.ToInt32(get["port"], System.Globalization.CultureInfo.InvariantCulture)));
        }

        var secret = Named(run, "kubernetes:core/v1:Secret", "orders-tls");
        Assert.Equal("kubernetes.io/tls", secret["type"]);
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], Map(secret["stringData"]).Keys.Order());
        Assert.Equal(MockServerKey, Map(secret["stringData"])["tls.key"]);
    }

    [Fact]
    public async Task The_operator_client_certificate_has_its_own_secret_mounted_by_no_pod_and_its_key_stays_secret()
    {
        var run = await RunAsync(StackVariants.All["everything on"]);
        var secret = Named(run, "kubernetes:core/v1:Secret", "orders-operator-tls");
        Assert.Equal("kubernetes.io/tls", secret["type"]);
        var data = Map(secret["stringData"]);
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], data.Keys.Order());
        Assert.Equal(MockOperatorKey, data["tls.key"]);
        Assert.Contains("MOCK-OPERATOR", (string)data["tls.crt"], StringComparison.Ordinal);
        Assert.Equal(MockCaCertificate, data["ca.crt"]);
        var tls = run.Single<PostgresTls>();
        Assert.True(await Output.IsSecretAsync(tls.OperatorKey!), "the operator key must be a Pulumi secret");
        // No pod mounts it: it is the operator's, read through the Kubernetes API by pgha and the provider.
        Assert.DoesNotContain("orders-operator-tls", Json(PodTemplate(run)), StringComparison.Ordinal);
        var elsewhere = run.Registered.Where(r => r.Type != "kubernetes:core/v1:Secret" && r.Type != ClusterCertificatesContract.ResourceType);
        Assert.All(elsewhere, r => Assert.DoesNotContain("MOCK-OPERATOR-KEY", Json(r.Inputs), StringComparison.Ordinal));
        foreach (var value in run.Outputs.Values.OfType<Output<string>>())
        {
            Assert.DoesNotContain("MOCK-OPERATOR-KEY", await ValueOf(value), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_server_key_stays_secret_and_appears_nowhere_else()
    {
        var run = await RunAsync(StackVariants.All["everything on"]);
        // The engine mock drops the secretness the provider gives its outputs (the provider's tests check that); what the
        // program hands on to the Secret is checked here.
        var tls = run.Single<PostgresTls>();
        Assert.True(await Output.IsSecretAsync(tls.ServerKey!), "the server key must be a Pulumi secret");
        Assert.Equal(MockServerKey, await ValueOf(tls.ServerKey!));
        Assert.False(await Output.IsSecretAsync(run.Single<ClusterCertificates>().CaCertificate), "the CA certificate is public");
        var elsewhere = run.Registered.Where(r => r.Type != "kubernetes:core/v1:Secret" && r.Type != ClusterCertificatesContract.ResourceType);
        Assert.All(elsewhere, r => Assert.DoesNotContain("MOCK-SERVER-KEY", Json(r.Inputs), StringComparison.Ordinal));
        foreach (var (key, value) in run.Outputs)
        {
            if (value is Output<string> text)
            {
                Assert.DoesNotContain("MOCK-SERVER-KEY", await ValueOf(text), StringComparison.Ordinal);
            }
            else if (value is Output<string?> optional)
            {
                Assert.DoesNotContain("MOCK-SERVER-KEY", await ValueOf(optional) ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Clients_get_the_ca_and_connection_strings_that_verify_the_server()
    {
        var run = await RunAsync(ValidConfig());
        Assert.Equal(MockCaCertificate, await ValueOf((Output<string?>)run.Outputs["caCertificate"]!));
        Assert.Equal("orders-ca", await ValueOf((Output<string?>)run.Outputs["caConfigMapName"]!));
        Assert.Equal(MockCaCertificate, Map(Named(run, "kubernetes:core/v1:ConfigMap", "orders-ca")["data"])["ca.crt"]);
        foreach (var key in new[] { "connectionString", "readConnectionString" })
        {
            var connection = await ValueOf((Output<string>)run.Outputs[key]!);
            Assert.EndsWith("?sslmode=verify-full&sslrootcert=%2Fetc%2Fpgha-ca%2Fca.crt", connection, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_replication_check_verifies_the_members_with_the_stacks_CA_only()
    {
        var own = Assert.Single((await RunAsync(ValidConfig())).OfType("pgha:index:ReplicationCheck")).Inputs;
        Assert.Equal(MockCaCertificate, own["caCertificate"]);
        var certManager = Assert.Single((await RunAsync(StackVariants.All["cert-manager"])).OfType("pgha:index:ReplicationCheck")).Inputs;
        Assert.False(certManager.ContainsKey("caCertificate"));
    }

    /// <summary>
    /// Patroni's REST API reads its certificate only when it starts: a renewed certificate must restart the members (through
    /// the rollout, in its safe order), so its fingerprint is part of the pod template and of the rollout's template hash.
    /// </summary>
    [Fact]
    public async Task A_renewed_server_certificate_changes_the_pod_template_and_the_rollouts_template_hash()
    {
        var first = await RunAsync(ValidConfig());
        RenewedServerCertificate.Value = "-----BEGIN CERTIFICATE-----\nMOCK-SERVER-RENEWED\n-----END CERTIFICATE-----\n";
        StackRun renewed;
        try
        {
            renewed = await RunAsync(ValidConfig());
        }
        finally
        {
            RenewedServerCertificate.Value = null;
        }

        string Fingerprint(StackRun run) => (string)Map(Map(PodTemplate(run)["metadata"])["annotations"])[ClusterTls.PodTemplateAnnotation];
        string TemplateHash(StackRun run) => (string)Assert.Single(run.OfType("pgha:index:ClusterRollout")).Inputs["podTemplateHash"];
        Assert.Equal(ClusterTls.Fingerprint(MockServerCertificate), Fingerprint(first));
        Assert.Matches("^[0-9a-f]{64}$", Fingerprint(first));
        Assert.NotEqual(Fingerprint(first), Fingerprint(renewed));
        Assert.NotEqual(TemplateHash(first), TemplateHash(renewed));
    }

    [Fact]
    public async Task With_cert_manager_a_certificate_issues_the_same_secret_and_the_pods_do_not_change()
    {
        var own = await RunAsync(ValidConfig());
        var run = await RunAsync(StackVariants.All["cert-manager"]);
        // The same pods but for the own certificate's fingerprint (cert-manager renews outside the stack).
        Assert.False(Map(Map(PodTemplate(run)["metadata"])["annotations"]).ContainsKey(ClusterTls.PodTemplateAnnotation));
        var ownTemplate = PodTemplate(own);
        var ownMetadata = Map(ownTemplate["metadata"]);
        ownTemplate = ownTemplate.SetItem("metadata", ownMetadata.SetItem("annotations", Map(ownMetadata["annotations"]).Remove(ClusterTls.PodTemplateAnnotation)));
        Assert.Equal(Json(ownTemplate), Json(PodTemplate(run)));
        Assert.Empty(run.OfType(ClusterCertificatesContract.ResourceType));
        Assert.DoesNotContain(run.OfType("kubernetes:core/v1:Secret"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-tls"));
        Assert.DoesNotContain(run.OfType("kubernetes:core/v1:ConfigMap"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-ca"));

        var certificates = run.OfType("kubernetes:cert-manager.io/v1:Certificate").ToArray();
        Assert.Equal(2, certificates.Length);
        var certificate = Assert.Single(certificates, c => Map(c.Inputs["spec"])["secretName"].Equals("orders-tls")).Inputs;
        var spec = Map(certificate["spec"]);
        Assert.Equal("orders-tls", spec["secretName"]);
        Assert.Equal(ClusterTlsNames.For("orders", "team-db", 3), ((IEnumerable<object>)spec["dnsNames"]).Cast<string>());
        Assert.Equal(("ClusterIssuer", "internal-ca", "cert-manager.io"),
            ((string)Map(spec["issuerRef"])["kind"], (string)Map(spec["issuerRef"])["name"], (string)Map(spec["issuerRef"])["group"]));
        Assert.Contains("server auth", ((IEnumerable<object>)spec["usages"]).Cast<string>());
        // The members present it to each other as their client certificate on Patroni's REST API.
        Assert.Contains("client auth", ((IEnumerable<object>)spec["usages"]).Cast<string>());

        // The operator's client certificate from the same issuer, so the members' CA (ca.crt) accepts it: client auth only.
        var operatorSpec = Map(Assert.Single(certificates, c => Map(c.Inputs["spec"])["secretName"].Equals("orders-operator-tls")).Inputs["spec"]);
        Assert.Equal(["client auth", "digital signature"], ((IEnumerable<object>)operatorSpec["usages"]).Cast<string>());
        Assert.Equal("pgha-operator", operatorSpec["commonName"]);
        Assert.False(operatorSpec.ContainsKey("dnsNames"));
        Assert.Equal(Json(spec["issuerRef"]), Json(operatorSpec["issuerRef"]));
        Assert.Equal((spec["duration"], spec["renewBefore"]), (operatorSpec["duration"], operatorSpec["renewBefore"]));
        Assert.DoesNotContain(run.OfType("kubernetes:core/v1:Secret"), r => Map(r.Inputs["metadata"])["name"].Equals("orders-operator-tls"));

        Assert.Null(await ValueOf((Output<string?>)run.Outputs["caCertificate"]!));
        // The app is told to verify; the CA is the issuer's, not written by the stack.
        var data = Map(Assert.Single(run.OfType("kubernetes:core/v1:ConfigMapPatch")).Inputs["data"]);
        Assert.Equal("verify-full", data["POSTGRES_SSLMODE"]);
        Assert.False(data.ContainsKey("POSTGRES_CA_CERT"));
    }
}
