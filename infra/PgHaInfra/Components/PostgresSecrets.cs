using System.Text;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

public sealed record PostgresSecretsArgs(ClusterIdentity Cluster, CredentialSettings Credentials, RolePasswords Passwords);

/// <summary>
/// Credentials of the superuser, the replication role and the app role, as Secrets with keys username and
/// password: created from config secrets, or existing ones referenced by name; and the monitoring role's Secret, always
/// created, with a password our provider generated once and keeps in state (<see cref="GeneratedPassword"/>): no config
/// secret to set, and the same password on every run. Values stay Pulumi secrets.
/// </summary>
public sealed class PostgresSecrets : ComponentResource
{
    [Output("superuserSecretName")]
    public Output<string> SuperuserSecretName { get; }

    [Output("replicationSecretName")]
    public Output<string> ReplicationSecretName { get; }

    [Output("appSecretName")]
    public Output<string> AppSecretName { get; }

    [Output("monitoringSecretName")]
    public Output<string> MonitoringSecretName { get; }

    /// <summary>
    /// Identifies the monitoring role's current password without revealing anything about it (a random value the
    /// provider made with the password): what must act when that password changes (the bootstrap Job) carries it.
    /// </summary>
    public Output<string> MonitoringPasswordVersion { get; }

    /// <summary>The app role's credentials, for the connection strings apps read.</summary>
    public RoleCredentials App { get; }

    /// <summary>The superuser's credentials, for the day-2 rollout to notice a rotation (never passed on in clear).</summary>
    public RoleCredentials Superuser { get; }

    /// <summary>The monitoring role's credentials: its generated password, a Pulumi secret, reaches only its Secret.</summary>
    public RoleCredentials Monitoring { get; }

    /// <summary>The replication role's credentials, for the day-2 rollout to notice a rotation (never passed on in clear).</summary>
    public RoleCredentials Replication { get; }

    /// <summary>Characters of the monitoring role's generated password (letters and digits: about 190 bits).</summary>
    internal const int MonitoringPasswordLength = 32;

    public PostgresSecrets(string name, PostgresSecretsArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresSecrets", name, options)
    {
        var credentials = args.Credentials;
        var names = new ResourceNames(args.Cluster.Name);
        SuperuserSecretName = SecretFor("superuser", credentials.Superuser, names.SuperuserSecret, args.Passwords.Superuser, args, options);
        ReplicationSecretName = SecretFor("replication", credentials.Replication, names.ReplicationSecret, args.Passwords.Replication, args, options);
        AppSecretName = SecretFor("app", credentials.App, names.AppSecret, args.Passwords.App, args, options);
        var monitoringPassword = new GeneratedPassword($"{args.Cluster.Name}-monitoring-password",
            new GeneratedPasswordArgs { Length = MonitoringPasswordLength }, new CustomResourceOptions { Parent = this });
        Monitoring = new RoleCredentials(Output.Create(Defaults.MonitoringUserName), Output.CreateSecret(monitoringPassword.Password));
        MonitoringSecretName = SecretFor("monitoring", new CredentialSource(Defaults.MonitoringUserName, null, null), names.MonitoringSecret,
            Monitoring.Password, args, options);
        MonitoringPasswordVersion = monitoringPassword.Version;

        App = CredentialsOf(credentials.App, args.Passwords.App, args.Cluster.Namespace, options);
        Superuser = CredentialsOf(credentials.Superuser, args.Passwords.Superuser, args.Cluster.Namespace, options);
        Replication = CredentialsOf(credentials.Replication, args.Passwords.Replication, args.Cluster.Namespace, options);

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["superuserSecretName"] = SuperuserSecretName,
            ["replicationSecretName"] = ReplicationSecretName,
            ["appSecretName"] = AppSecretName,
            ["monitoringSecretName"] = MonitoringSecretName,
        });
    }

    private Output<string> SecretFor(string role, CredentialSource source, string createdName, Output<string>? password, PostgresSecretsArgs args,
        ComponentResourceOptions? options)
    {
        if (source.ExistingSecretName is { } existing)
        {
            return Output.Create(existing);
        }

        var secretOptions = ChildOptions.Of(this, options);
        secretOptions.AdditionalSecretOutputs = ["data", "stringData"];
        // The Secret unlocks the data: a destroy or a replacement must be deliberate (pgha:deletionProtection).
        secretOptions.Protect = args.Cluster.DeletionProtection;
        var secret = new Secret($"{args.Cluster.Name}-{role}", new SecretArgs
        {
            Metadata = Metadata.For(createdName, args.Cluster.Namespace, args.Cluster.Name, "credentials"),
            Type = "kubernetes.io/basic-auth",
            StringData =
            {
                [SpiloEnvironment.UsernameKey] = source.Username,
                [SpiloEnvironment.PasswordKey] = Output.CreateSecret(password!),
            },
        }, secretOptions);
        return secret.Metadata.Apply(m => m.Name);
    }

    /// <summary>
    /// A role's username and password: from config, or read from its existing Secret (whose username may differ
    /// from the configured default, and is what the pods and the Job use). The password stays a Pulumi secret.
    /// </summary>
    private RoleCredentials CredentialsOf(CredentialSource source, Output<string>? configured, string ns, ComponentResourceOptions? options)
    {
        if (configured is not null)
        {
            return new RoleCredentials(Output.Create(source.Username), Output.CreateSecret(configured));
        }

        var secretName = source.ExistingSecretName!;
        var data = Secret.Get($"{secretName}-existing", $"{ns}/{secretName}", ChildOptions.Of(this, options)).Data;
        return new RoleCredentials(
            Output.Unsecret(data.Apply(d => Decode(d, secretName, SpiloEnvironment.UsernameKey))),
            Output.CreateSecret(data.Apply(d => Decode(d, secretName, SpiloEnvironment.PasswordKey))));
    }

    private static string Decode(System.Collections.Immutable.ImmutableDictionary<string, string> data, string secretName, string key) =>
        data.TryGetValue(key, out var encoded)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(encoded))
            : throw new InvalidOperationException($"Secret {secretName} has no key '{key}'; a credentials Secret needs keys username and password.");
}

/// <summary>A role's username and (secret) password as the cluster knows them.</summary>
public sealed record RoleCredentials(Output<string> Username, Output<string> Password);
