using System.Globalization;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Migration;

/// <summary>The migration Job container's environment: source from its Secret, target = the read-write Service as superuser (restoring objects for another owner and writing the report need it), objects owned by the app role.</summary>
public static class MigrationJobEnvironment
{
    public const string WorkDirectory = "/work";

    public static IReadOnlyList<PodEnvVar> Build(MigrationSettings migration, string readWriteHost, string database, CredentialSecretNames secrets, int jobs) =>
    [
        PodEnvVar.Literal("SOURCE_HOST", migration.Host),
        PodEnvVar.Literal("SOURCE_PORT", migration.Port.ToString(CultureInfo.InvariantCulture)),
        PodEnvVar.Literal("SOURCE_DATABASE", migration.Database),
        PodEnvVar.Literal("SOURCE_SSLMODE", migration.SslMode),
        PodEnvVar.FromSecret("SOURCE_USER", migration.SecretName, SpiloEnvironment.UsernameKey),
        PodEnvVar.FromSecret("SOURCE_PASSWORD", migration.SecretName, SpiloEnvironment.PasswordKey),
        PodEnvVar.Literal("TARGET_HOST", readWriteHost),
        PodEnvVar.Literal("TARGET_PORT", PatroniConfig.PostgresPort.ToString(CultureInfo.InvariantCulture)),
        PodEnvVar.Literal("TARGET_DATABASE", database),
        PodEnvVar.Literal("TARGET_SSLMODE", "require"),
        PodEnvVar.FromSecret("TARGET_USER", secrets.Superuser, SpiloEnvironment.UsernameKey),
        PodEnvVar.FromSecret("TARGET_PASSWORD", secrets.Superuser, SpiloEnvironment.PasswordKey),
        PodEnvVar.FromSecret("TARGET_OWNER", secrets.App, SpiloEnvironment.UsernameKey),
        // The role the post-deploy check reads the report as: granted SELECT on that one table.
        PodEnvVar.FromSecret("REPORT_READER", secrets.Monitoring, SpiloEnvironment.UsernameKey),
        PodEnvVar.Literal("MODE", "migrate"),
        PodEnvVar.Literal("FORCE", migration.Force ? "true" : "false"),
        PodEnvVar.Literal("JOBS", jobs.ToString(CultureInfo.InvariantCulture)),
        PodEnvVar.Literal("WORK_DIR", WorkDirectory),
        PodEnvVar.Literal("WAIT_SECONDS", "600"),
    ];
}
