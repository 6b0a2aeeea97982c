using System.Text.RegularExpressions;
using PgHa.Core.Backup;

namespace PgHa.Core.Settings;

/// <summary>The rules the declarations in <see cref="ConfigKeys"/> use, each with its words and its check.</summary>
public static partial class ValueRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123LabelPattern();

    // Names of most Kubernetes objects are DNS-1123 subdomains: labels joined by dots.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123SubdomainPattern();

    // PostgreSQL identifiers the program creates unquoted: lower case so they need no quoting anywhere.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PostgresIdentifierPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KmsKeyArnPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex SourceDatabasePattern();

    // S3 bucket naming rules: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RegionPattern();

    // ConfigMap keys: letters, digits, '-', '_' and '.'.
    [GeneratedRegex("^[-._a-zA-Z0-9]{1,253}$")]
    private static partial Regex ConfigMapKeyPattern();

    /// <summary>A DNS-1123 label (namespaces, the cluster name) of at most <paramref name="maxLength"/> characters.</summary>
    public static ValueRule Dns1123Label(int maxLength) => new(
        $"a DNS-1123 label (lower-case letters, digits and '-') of at most {maxLength} characters",
        value => value.Length > maxLength ? $"is longer than {maxLength} characters."
            : !Dns1123LabelPattern().IsMatch(value) ? "is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)."
            : null);

    /// <summary>A DNS-1123 subdomain: the name of a StorageClass, ConfigMap or Deployment.</summary>
    public static ValueRule Dns1123Subdomain { get; } = new(
        "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')",
        value => value.Length > 253 ? "is longer than 253 characters."
            : !Dns1123SubdomainPattern().IsMatch(value) ? "is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')."
            : null);

    /// <summary>A cert-manager issuer: <c>Issuer/&lt;name&gt;</c> (in the cluster's namespace) or <c>ClusterIssuer/&lt;name&gt;</c>.</summary>
    public static ValueRule CertManagerIssuer { get; } = new(
        "Issuer/<name> (an issuer in the cluster's namespace) or ClusterIssuer/<name>",
        value => value.Split('/') is not { Length: 2 } parts ? "is not Issuer/<name> or ClusterIssuer/<name>."
            : parts[0] is not ("Issuer" or "ClusterIssuer") ? $"names the kind \"{parts[0]}\"; cert-manager's kinds are Issuer and ClusterIssuer."
            : Dns1123Subdomain.Problem(parts[1]) is { } problem ? $"names the issuer \"{parts[1]}\", which {problem}"
            : null);

    /// <summary>A PostgreSQL identifier the program can use unquoted.</summary>
    public static ValueRule PostgresIdentifier { get; } = new(
        "a plain PostgreSQL identifier (a lower-case letter or '_', then lower-case letters, digits or '_', at most 63)",
        value => PostgresIdentifierPattern().IsMatch(value) ? null
            : "is not a plain PostgreSQL identifier (lower-case letter or '_' first, then lower-case letters, digits or '_', at most 63).");

    /// <summary>The app's own role: a plain identifier, and not one of the roles the cluster reserves.</summary>
    public static ValueRule AppRole { get; } = new(
        $"{PostgresIdentifier.Text}, not {Defaults.SuperuserName} or {Defaults.ReplicationUserName}",
        value => PostgresIdentifier.Problem(value)
            ?? (value is Defaults.SuperuserName or Defaults.ReplicationUserName
                ? $"is reserved for the {(value == Defaults.SuperuserName ? "superuser" : "replication role")}; the app needs its own least-privilege role."
                : null));

    /// <summary>An image reference pinned by tag or digest.</summary>
    public static ValueRule PinnedImage { get; } = new(
        "an image reference pinned by tag or digest",
        value => value.Contains(' ', StringComparison.Ordinal)
            || !value.Contains(':', StringComparison.Ordinal) && !value.Contains('@', StringComparison.Ordinal)
                ? "must be an image reference pinned by tag or digest (e.g. ghcr.io/zalando/spilo-17:4.0-p3); an unpinned image changes under you."
                : null);

    public static ValueRule KmsKeyArn { get; } = new(
        "a KMS key ARN",
        value => KmsKeyArnPattern().IsMatch(value) ? null : "is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).");

    /// <summary>Where a document is served: each alert appends <c>#&lt;its section&gt;</c>.</summary>
    public static ValueRule LinkBase { get; } = new(
        "a URL or path without spaces or '#'",
        value => value.Contains(' ', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal) || value.Any(char.IsControl)
            ? "must be a URL or path without spaces, control characters or '#' (each alert appends #<its section>)." : null);

    public static ValueRule Cron { get; } = new("a 5-field cron expression in UTC", CronSchedule.Problem);

    public static ValueRule HostName { get; } = new(
        "a host name or IP address",
        value => HostNamePattern().IsMatch(value) ? null : "is not a host name or IP address.");

    /// <summary>A database on a server this program does not create names on: any name pg_dump can be pointed at plainly.</summary>
    public static ValueRule DatabaseName { get; } = new(
        "a database name (letters, digits, '_' and '-')",
        value => SourceDatabasePattern().IsMatch(value) ? null : "is not a database name (letters, digits, '_' and '-').");

    public static ValueRule OneOf(params string[] values) => new(
        $"one of: {string.Join(", ", values)}",
        value => values.Contains(value, StringComparer.Ordinal) ? null : $"must be one of: {string.Join(", ", values)}.");

    public static ValueRule BucketName { get; } = new(
        "an S3 bucket name",
        value => BucketNamePattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal) ? null
            : "is not an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-').");

    public static ValueRule HttpUrl { get; } = new(
        "an http or https URL",
        value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0
            ? null : "is not an http or https URL (e.g. http://minio.minio:9000).");

    public static ValueRule HttpsUrl { get; } = new(
        "an https URL",
        value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? null : "is not an https URL (e.g. https://oidc.eks.eu-central-1.amazonaws.com/id/ABC123).");

    /// <summary>A point in time PostgreSQL reads the same in every zone.</summary>
    public static ValueRule TimeWithZone { get; } = new(
        "an RFC 3339 time with a zone (e.g. 2026-11-25T10:30:00Z)",
        value => RecoveryTargetTime.TryParse(value) is null
            ? "is not an RFC 3339 time with a zone; a time without one would be read in the pod's zone." : null);

    public static ValueRule Region { get; } = new(
        "a region name (letters, digits, '-' and '_')",
        value => RegionPattern().IsMatch(value) ? null : "is not a region name (letters, digits, '-' and '_').");

    /// <summary>A comma-separated list whose every item follows <paramref name="item"/> (the list's problem is its first bad item's).</summary>
    public static ValueRule CommaSeparated(ValueRule item) => new(
        $"a comma-separated list, each {item.Text}",
        value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item.Problem).FirstOrDefault(problem => problem is not null));

    /// <summary>An equality label selector, key=value[,key=value...].</summary>
    public static ValueRule LabelSelector { get; } = new(
        "a label selector: key=value pairs separated by commas (equality only)", Kubernetes.LabelSelectorText.Problem);

    public static ValueRule ConfigMapKey { get; } = new(
        "a ConfigMap key (letters, digits, '-', '_' and '.')",
        value => ConfigMapKeyPattern().IsMatch(value) ? null : "is not a ConfigMap key (letters, digits, '-', '_', '.').");
}
