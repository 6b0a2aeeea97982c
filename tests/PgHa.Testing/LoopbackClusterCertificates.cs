using PgHa.Core.Tls;
using PgHa.Operations.Patroni;

namespace PgHa.Testing;

/// <summary>
/// A loopback cluster's certificates as the stack makes them (<see cref="ClusterCertificateIssuer"/>): a CA, the members'
/// certificate (PostgreSQL's and the REST API's, also the members' client certificate) and the operator's client
/// certificate, written as PEM files into the cluster's directory.
/// </summary>
public sealed class LoopbackClusterCertificates
{
    private LoopbackClusterCertificates(string directory, IssuedCertificates issued)
    {
        Directory = directory;
        Issued = issued;
    }

    public string Directory { get; }

    public IssuedCertificates Issued { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    /// <summary>The members' certificate and key (the same names the harness uses without a CA).</summary>
    public string CertificateFile => Path.Combine(Directory, "server.crt");

    public string PrivateKeyFile => Path.Combine(Directory, "server.key");

    /// <summary>What pgha and the provider would read from the operator's Secret.</summary>
    public PatroniApiCredentials Operator => new(Issued.CaCertificatePem, Issued.OperatorCertificatePem, Issued.OperatorPrivateKeyPem);

    /// <summary>The members' own certificate as a client certificate (what Patroni presents when it calls another member).</summary>
    public PatroniApiCredentials Member => new(Issued.CaCertificatePem, Issued.CertificatePem, Issued.PrivateKeyPem);

    /// <summary>Issues the certificates now and writes them to <paramref name="directory"/> (keys readable by their owner only).</summary>
    public static LoopbackClusterCertificates Write(string directory)
    {
        // The members are reached by address (127.x.y.z), which no certificate names, as the pods by their IPs.
        var issued = ClusterCertificateIssuer.Issue("pgha loopback", ["localhost"], CertificateLifetime.FromDays(2, 1), DateTimeOffset.UtcNow);
        var certificates = new LoopbackClusterCertificates(directory, issued);
        File.WriteAllText(certificates.CaFile, issued.CaCertificatePem);
        File.WriteAllText(certificates.CertificateFile, issued.CertificatePem);
        File.WriteAllText(certificates.PrivateKeyFile, issued.PrivateKeyPem);
        File.SetUnixFileMode(certificates.PrivateKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return certificates;
    }
}
