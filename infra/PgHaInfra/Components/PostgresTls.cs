using PgHa.Core.Naming;
using PgHa.Core.Settings;
using PgHa.Core.Tls;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

/// <param name="Cluster">Whose names the certificate covers, and where the Secret goes.</param>
/// <param name="Issuer">A cert-manager issuer; null: the stack's own CA (<see cref="ClusterCertificates"/>).</param>
public sealed record PostgresTlsArgs(ClusterIdentity Cluster, CertManagerIssuerRef? Issuer);

/// <summary>
/// The Secret the pods mount (<c>&lt;cluster&gt;-tls</c>: tls.crt, tls.key, ca.crt) with a certificate naming every Service
/// and member (<see cref="ClusterTlsNames"/>): issued by the stack's own CA and kept in state, or, with
/// pgha:certManagerIssuer, by cert-manager (a Certificate it keeps renewed). With the stack's own CA the CA is an output
/// and sits in the ConfigMap <c>&lt;cluster&gt;-ca</c> for clients. Beside it the Secret <c>&lt;cluster&gt;-operator-tls</c>: the
/// operator's client certificate from the same CA, which pgha and the provider present to Patroni's unsafe REST endpoints.
/// </summary>
public sealed class PostgresTls : ComponentResource
{
    /// <summary>The CA clients verify the server with; null when cert-manager issues the certificate.</summary>
    [Output("caCertificate")] public Output<string?> CaCertificate { get; }

    /// <summary>The Secret the pods mount.</summary>
    [Output("secretName")] public Output<string> SecretName { get; }

    /// <summary>The server key the Secret's tls.key is made from (a Pulumi secret); null when cert-manager issues the certificate.</summary>
    public Output<string>? ServerKey { get; }

    /// <summary>
    /// The server certificate's fingerprint (<see cref="ClusterTls.Fingerprint"/>), for the pod template: a renewal restarts
    /// the members through the rollout. Null when cert-manager issues the certificate.
    /// </summary>
    public Output<string>? CertificateFingerprint { get; }

    /// <summary>The operator's client key the Secret <c>&lt;cluster&gt;-operator-tls</c> is made from (a Pulumi secret); null when cert-manager issues it.</summary>
    public Output<string>? OperatorKey { get; }

    public PostgresTls(string name, PostgresTlsArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresTls", name, options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        var dnsNames = ClusterTlsNames.For(cluster.Name, cluster.Namespace, cluster.Replicas);
        var lifetime = CertificateLifetime.Default;
        if (args.Issuer is { } issuer)
        {
            _ = CertManagerCertificate(name, args, issuer, dnsNames, lifetime, options);
            _ = CertManagerOperatorCertificate(name, args, issuer, lifetime, options);
            CaCertificate = Output.Create((string?)null);
        }
        else
        {
            var certificates = new ClusterCertificates($"{name}-certificates", new ClusterCertificatesArgs
            {
                CommonName = ClusterTls.CommonName(cluster.Namespace, cluster.Name),
                DnsNames = dnsNames.ToArray(),
                ValidityDays = (int)lifetime.Validity.TotalDays,
                RenewBeforeDays = (int)lifetime.RenewBefore.TotalDays,
            }, new CustomResourceOptions { Parent = this });

            ServerKey = Output.CreateSecret(certificates.PrivateKey);
            CertificateFingerprint = certificates.Certificate.Apply(ClusterTls.Fingerprint);
            _ = TlsSecret($"{name}-secret", cluster, names.TlsSecret, certificates.Certificate, ServerKey, certificates.CaCertificate, options);

            // The operator's client certificate for Patroni's unsafe REST endpoints: read by pgha and the provider through
            // the Kubernetes API, mounted by no pod.
            OperatorKey = Output.CreateSecret(certificates.OperatorPrivateKey);
            _ = TlsSecret($"{name}-operator-secret", cluster, names.OperatorTlsSecret, certificates.OperatorCertificate, OperatorKey,
                certificates.CaCertificate, options);

            _ = new ConfigMap($"{name}-ca", new ConfigMapArgs
            {
                Metadata = Metadata.For(names.CaConfigMap, cluster.Namespace, cluster.Name, "tls"),
                Data = { [ClusterTls.CaKey] = certificates.CaCertificate },
            }, ChildOptions.Of(this, options));
            CaCertificate = certificates.CaCertificate.Apply(ca => (string?)ca);
        }

        SecretName = Output.Create(names.TlsSecret);
        RegisterOutputs(new Dictionary<string, object?> { ["caCertificate"] = CaCertificate, ["secretName"] = SecretName });
    }

    /// <summary>A kubernetes.io/tls Secret as cert-manager writes one (tls.crt, tls.key, ca.crt), from the stack's own CA.</summary>
    private Secret TlsSecret(string resourceName, ClusterIdentity cluster, string secretName, Output<string> certificate, Output<string> key,
        Output<string> ca, ComponentResourceOptions? options) =>
        new(resourceName, new SecretArgs
        {
            Metadata = Metadata.For(secretName, cluster.Namespace, cluster.Name, "tls"),
            Type = "kubernetes.io/tls",
            StringData =
            {
                [ClusterTls.CertificateKey] = certificate,
                [ClusterTls.PrivateKeyKey] = key,
                [ClusterTls.CaKey] = ca,
            },
        }, ChildOptions.Of(this, options));

    /// <summary>
    /// A cert-manager Certificate writing the same Secret (name and keys) the pods mount, renewed by cert-manager before it
    /// expires; a new key on each renewal (rotationPolicy Always). Needs an issuer that fills ca.crt (a CA-type issuer):
    /// PostgreSQL is given that file.
    /// </summary>
    private Pulumi.Kubernetes.ApiExtensions.CustomResource CertManagerCertificate(string name, PostgresTlsArgs args, CertManagerIssuerRef issuer,
        IReadOnlyList<string> dnsNames, CertificateLifetime lifetime, ComponentResourceOptions? options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        var certificate = new SpecResourceArgs("cert-manager.io/v1", "Certificate")
        {
            Metadata = Metadata.For(names.TlsSecret, cluster.Namespace, cluster.Name, "tls"),
        };
        certificate.Spec.Add("secretName", names.TlsSecret);
        certificate.Spec.Add("commonName", dnsNames[0]);
        certificate.Spec.Add("dnsNames", dnsNames.ToArray());
        certificate.Spec.Add("duration", $"{(int)lifetime.Validity.TotalHours}h");
        certificate.Spec.Add("renewBefore", $"{(int)lifetime.RenewBefore.TotalHours}h");
        certificate.Spec.Add("privateKey", new Dictionary<string, object> { ["algorithm"] = "ECDSA", ["size"] = 256, ["rotationPolicy"] = "Always" });
        // client auth: the members present it to each other on Patroni's REST API (verify_client).
        certificate.Spec.Add("usages", new[] { "server auth", "client auth", "digital signature", "key encipherment" });
        certificate.Spec.Add("secretTemplate", new Dictionary<string, object> { ["labels"] = Labels.Common(cluster.Name, "tls") });
        certificate.Spec.Add("issuerRef", new Dictionary<string, object> { ["kind"] = issuer.Kind, ["name"] = issuer.Name, ["group"] = "cert-manager.io" });
        return new Pulumi.Kubernetes.ApiExtensions.CustomResource($"{name}-certificate", certificate, ChildOptions.Of(this, options));
    }

    /// <summary>
    /// The operator's client certificate from the same issuer, so the members (which verify client certificates against
    /// the issuer's CA in ca.crt) accept it: client auth only, no DNS names, the same lifetime and a new key on each renewal.
    /// </summary>
    private Pulumi.Kubernetes.ApiExtensions.CustomResource CertManagerOperatorCertificate(string name, PostgresTlsArgs args, CertManagerIssuerRef issuer,
        CertificateLifetime lifetime, ComponentResourceOptions? options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        var certificate = new SpecResourceArgs("cert-manager.io/v1", "Certificate")
        {
            Metadata = Metadata.For(names.OperatorTlsSecret, cluster.Namespace, cluster.Name, "tls"),
        };
        certificate.Spec.Add("secretName", names.OperatorTlsSecret);
        certificate.Spec.Add("commonName", ClusterTls.OperatorCommonName);
        certificate.Spec.Add("duration", $"{(int)lifetime.Validity.TotalHours}h");
        certificate.Spec.Add("renewBefore", $"{(int)lifetime.RenewBefore.TotalHours}h");
        certificate.Spec.Add("privateKey", new Dictionary<string, object> { ["algorithm"] = "ECDSA", ["size"] = 256, ["rotationPolicy"] = "Always" });
        certificate.Spec.Add("usages", new[] { "client auth", "digital signature" });
        certificate.Spec.Add("secretTemplate", new Dictionary<string, object> { ["labels"] = Labels.Common(cluster.Name, "tls") });
        certificate.Spec.Add("issuerRef", new Dictionary<string, object> { ["kind"] = issuer.Kind, ["name"] = issuer.Name, ["group"] = "cert-manager.io" });
        return new Pulumi.Kubernetes.ApiExtensions.CustomResource($"{name}-operator-certificate", certificate, ChildOptions.Of(this, options));
    }
}
