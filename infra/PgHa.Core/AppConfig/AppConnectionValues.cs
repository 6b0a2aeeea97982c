using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.AppConfig;

/// <summary>
/// What the app ConfigMap holds (the Services' DNS names, port, database, sslmode verify-full and the CA: nothing that
/// changes on a failover or when the server certificate is renewed under the same CA) and the checksum of it that the
/// restarted Deployments carry in their pod template.
/// </summary>
public static class AppConnectionValues
{
    /// <summary>The pod template annotation whose change rolls a Deployment (as kubectl rollout restart's does).</summary>
    public const string RestartAnnotation = "pgha/app-config-checksum";

    /// <summary>ConfigMap key to value, in the order of <see cref="AppConfigKeyNames"/>.</summary>
    /// <param name="caCertificatePem">The cluster's CA; null when cert-manager issues the certificate (the issuer's CA is the platform's to hand out).</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Build(ClusterIdentity cluster, string database, AppConfigKeyNames keys,
        string? caCertificatePem = null)
    {
        var names = new ResourceNames(cluster.Name);
        var ns = cluster.Namespace;
        return
        [
            new(keys.Host, ResourceNames.ServiceHost(names.ReadWriteService, ns)),
            new(keys.ReadHost, ResourceNames.ServiceHost(names.ReadOnlyService, ns)),
            new(keys.Port, PatroniConfig.PostgresPort.ToString(CultureInfo.InvariantCulture)),
            new(keys.Database, database),
            new(keys.SslMode, ConnectionStrings.SslMode),
            .. caCertificatePem is null ? Array.Empty<KeyValuePair<string, string>>() : [new(keys.CaCertificate, caCertificatePem)],
        ];
    }

    /// <summary>A short, stable checksum of the managed keys and values: it changes exactly when one of them does.</summary>
    public static string Checksum(IEnumerable<KeyValuePair<string, string>> values)
    {
        var canonical = string.Join('\n', values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16].ToLowerInvariant();
    }
}
