using PgHa.Core.Verification;

namespace PgHa.Core.Tls;

/// <summary>
/// The cluster's certificates as a resource of the pgha provider, declared once: its type token and every input and
/// output. Made once and kept in Pulumi state, so every run of the stack hands the pods the same certificate; renewed
/// only as <see cref="CertificateRenewal"/> decides. The provider serves its schema and checks from this; the
/// program's resource class names its inputs and outputs from it.
/// </summary>
public static class ClusterCertificatesContract
{
    public const string ResourceType = "pgha:index:ClusterCertificates";

    /// <summary>The names of the inputs (constants, so the resource class's attributes can use them).</summary>
    public static class InputName
    {
        public const string CommonName = "commonName";
        public const string DnsNames = "dnsNames";
        public const string ValidityDays = "validityDays";
        public const string RenewBeforeDays = "renewBeforeDays";
    }

    /// <summary>The names of the outputs.</summary>
    public static class OutputName
    {
        public const string CaCertificate = "caCertificate";
        public const string CaPrivateKey = "caPrivateKey";
        public const string Certificate = "certificate";
        public const string PrivateKey = "privateKey";
        public const string NotAfter = "notAfter";
        public const string CaNotAfter = "caNotAfter";
        public const string DnsNames = "dnsNames";
        public const string OperatorCertificate = "operatorCertificate";
        public const string OperatorPrivateKey = "operatorPrivateKey";
    }

    public static IReadOnlyList<ContractProperty> Inputs { get; } =
    [
        new(InputName.CommonName, ContractValueType.String, "The subject's common name (the CA's is it with \" CA\").", Required: true),
        new(InputName.DnsNames, ContractValueType.StringArray,
            "Every DNS name the server certificate covers; a change issues a new server certificate under the same CA.", Required: true),
        new(InputName.ValidityDays, ContractValueType.Integer, "Days the server certificate is valid.", Required: true, Minimum: 2, Maximum: 3650),
        new(InputName.RenewBeforeDays, ContractValueType.Integer,
            "A pulumi up this many days or fewer before the server certificate (or the CA) expires renews it; less than validityDays.",
            Required: true, Minimum: 1, Maximum: 3649),
    ];

    public static IReadOnlyList<ContractProperty> Outputs { get; } =
    [
        new(OutputName.CaCertificate, ContractValueType.String, "The CA certificate (PEM) clients verify the server with.", Required: true),
        new(OutputName.CaPrivateKey, ContractValueType.String, "The CA's private key (PKCS#8 PEM), kept to renew the server certificate.",
            Required: true, Secret: true),
        new(OutputName.Certificate, ContractValueType.String, "The server certificate (PEM).", Required: true),
        new(OutputName.PrivateKey, ContractValueType.String, "The server's private key (PKCS#8 PEM).", Required: true, Secret: true),
        new(OutputName.NotAfter, ContractValueType.String, "When the server certificate expires (ISO 8601).", Required: true),
        new(OutputName.CaNotAfter, ContractValueType.String, "When the CA expires (ISO 8601).", Required: true),
        new(OutputName.DnsNames, ContractValueType.StringArray, "The DNS names the server certificate was issued for.", Required: true),
        new(OutputName.OperatorCertificate, ContractValueType.String,
            "The operator's client certificate (PEM, clientAuth only) for Patroni's unsafe REST endpoints; issued and renewed with the server certificate.",
            Required: true),
        new(OutputName.OperatorPrivateKey, ContractValueType.String, "The operator's private key (PKCS#8 PEM).", Required: true, Secret: true),
    ];

    public static ContractProperty Input(string name) =>
        Inputs.FirstOrDefault(i => i.Name == name) ?? throw new ArgumentException($"ClusterCertificates has no input {name}", nameof(name));
}
