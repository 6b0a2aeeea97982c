using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.Patroni;

/// <summary>The Secrets (created or existing) holding each role's username and password.</summary>
public sealed record CredentialSecretNames(string Superuser, string Replication, string App)
{
    /// <summary>Each role's existing Secret where one is configured, else the one the stack creates.</summary>
    public static CredentialSecretNames For(CredentialSettings credentials, ResourceNames names) => new(
        credentials.Superuser.ExistingSecretName ?? names.SuperuserSecret,
        credentials.Replication.ExistingSecretName ?? names.ReplicationSecret,
        credentials.App.ExistingSecretName ?? names.AppSecret);
}
