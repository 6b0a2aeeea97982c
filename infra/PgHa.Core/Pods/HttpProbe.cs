namespace PgHa.Core.Pods;

/// <summary>An HTTP GET probe of a container's port (readiness or liveness).</summary>
/// <param name="InitialDelaySeconds">Null: the kubelet's default (probe at once).</param>
/// <param name="Scheme">HTTP or HTTPS; over HTTPS the kubelet does not verify the certificate and presents none.</param>
public sealed record HttpProbe(string Path, int Port, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold, int? InitialDelaySeconds = null,
    string Scheme = HttpProbe.Http)
{
    public const string Http = "HTTP";
    public const string Https = "HTTPS";
}
