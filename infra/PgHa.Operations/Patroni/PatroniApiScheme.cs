using System.Text.Json;

namespace PgHa.Operations.Patroni;

/// <summary>
/// Which scheme a member's REST API serves, as the member published it: Patroni on Kubernetes keeps its member data
/// (api_url among it) as JSON in the pod's <c>status</c> annotation.
/// </summary>
public static class PatroniApiScheme
{
    public const string StatusAnnotation = "status";

    /// <summary>"https" or "http" from the annotation's api_url; null when there is none or it is not Patroni's.</summary>
    public static string? FromStatusAnnotation(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(status);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("api_url", out var url) && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var api) && api.Scheme is "http" or "https"
                ? api.Scheme
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
