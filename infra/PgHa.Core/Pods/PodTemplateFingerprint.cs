using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PgHa.Core.Kubernetes;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Pods;

/// <summary>
/// A fingerprint (SHA-256, hex) of what the StatefulSet's pod template is made of: the merged pod, the local Patroni
/// configuration's fingerprint, the grace period and the scheduling. The day-2 rollout compares it with the one it last
/// applied to show, in a preview, that every member will be restarted. Patroni's dynamic configuration is not part of it;
/// the members' credentials are, through their version (<see cref="DayTwo.CredentialVersions.MembersVersion"/>), and the
/// server certificate, through its fingerprint (<see cref="Tls.ClusterTls.Fingerprint"/>), when given.
/// </summary>
public static class PodTemplateFingerprint
{
    public static string Of(PodLayout pod, PatroniSettings patroni, BackupSettings? backup, SchedulingSettings scheduling, string? credentialsVersion = null,
        string? certificateFingerprint = null)
    {
        var text = JsonSerializer.Serialize(new
        {
            Pod = pod,
            LocalConfiguration = SpiloEnvironment.LocalConfigurationFingerprint(patroni, backup),
            GracePeriod = PodDefaults.TerminationGracePeriodSeconds(patroni),
            Scheduling = scheduling,
            Credentials = credentialsVersion,
            Certificate = certificateFingerprint,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
