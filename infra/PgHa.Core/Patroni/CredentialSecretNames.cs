using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.Patroni;

/// <summary>The Secrets (created or existing) holding each role's username and password.</summary>
/// <param name="Monitoring">The monitoring role's Secret: always the one the stack creates (its password is generated).</param>
public sealed record CredentialSecretNames(string Superuser, string Replication, string App, string Monitoring)
{
    /// <summary>Each role's existing Secret where one is configured, else the one the stack creates.</summary>
    public static CredentialSecretNames For(CredentialSettings credentials, ResourceNames names) => new(
        credentials.Superuser.ExistingSecretName ?? names.SuperuserSecret,
        credentials.Replication.ExistingSecretName ?? names.ReplicationSecret,
        credentials.App.ExistingSecretName ?? names.AppSecret,
        names.MonitoringSecret);
}
