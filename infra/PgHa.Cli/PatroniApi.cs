using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgHa.Cli;

/// <summary>A member as Patroni's <c>GET /cluster</c> describes it.</summary>
public sealed record PatroniMemberView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("timeline")] int? Timeline);

internal sealed record PatroniClusterView([property: JsonPropertyName("members")] IReadOnlyList<PatroniMemberView> Members);

/// <summary>Patroni's REST API: the cluster view, and the switchover/failover requests patronictl sends.</summary>
public sealed class PatroniApi(HttpClient http)
{
    public async Task<IReadOnlyList<PatroniMemberView>> GetMembersAsync(Uri api, CancellationToken cancellationToken)
    {
        var cluster = await http.GetFromJsonAsync<PatroniClusterView>(new Uri(api, "/cluster"), cancellationToken).ConfigureAwait(false);
        return cluster?.Members ?? [];
    }

    /// <summary>A planned switchover from <paramref name="leader"/> to <paramref name="candidate"/>; Patroni answers once it is done or refused.</summary>
    public Task SwitchoverAsync(Uri api, string leader, string candidate, CancellationToken cancellationToken) =>
        PostAsync(new Uri(api, "/switchover"), new Dictionary<string, string> { ["leader"] = leader, ["candidate"] = candidate }, cancellationToken);

    /// <summary>A forced failover to <paramref name="candidate"/>, whatever the leader's state.</summary>
    public Task FailoverAsync(Uri api, string candidate, CancellationToken cancellationToken) =>
        PostAsync(new Uri(api, "/failover"), new Dictionary<string, string> { ["candidate"] = candidate }, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(Uri uri, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            return await http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Patroni did not answer {uri.AbsolutePath} within {http.Timeout.TotalSeconds:0}s; " +
                "check `pgha status` before trying again (the change may still be under way).");
        }
    }

    private async Task PostAsync(Uri uri, Dictionary<string, string> body, CancellationToken cancellationToken)
    {
        // A buffered body: Patroni's HTTP server needs Content-Length (it answers 411 to a chunked request).
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await SendAsync(uri, content, cancellationToken).ConfigureAwait(false);
        var text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Patroni refused ({(int)response.StatusCode}): {(text.Length > 300 ? text[..300] + "..." : text)}");
        }
    }
}
