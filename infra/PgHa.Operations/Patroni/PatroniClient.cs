using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PgHa.Operations.Patroni;

/// <summary>
/// Patroni's REST API, typed: what the pgha command and the day-2 work ask a member. Each call names the member's API
/// (<c>https://host:8008</c>, e.g. through a port-forward; the HTTP client, <see cref="PatroniHttp"/>, verifies the member
/// against the cluster's CA and presents the operator's client certificate, which the unsafe calls need). A read that fails is an <see cref="HttpRequestException"/>
/// (or a <see cref="JsonException"/> for an answer that is not Patroni's); a change Patroni refuses is an
/// <see cref="InvalidOperationException"/> with its answer; one it does not answer in time a <see cref="TimeoutException"/>.
/// </summary>
public sealed class PatroniClient
{
    private readonly Func<CancellationToken, Task<HttpClient>> _http;

    public PatroniClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = _ => Task.FromResult(http);
    }

    /// <summary>
    /// With an HTTP client made on first use, e.g. once the operator's certificate has been read from the cluster
    /// (<see cref="ForCluster"/>).
    /// </summary>
    public PatroniClient(Func<CancellationToken, Task<HttpClient>> http) => _http = http;

    /// <summary>
    /// A client for a cluster: its HTTP client (<see cref="PatroniHttp"/>) is made on first use from
    /// <paramref name="credentials"/> (the cluster's CA and the operator's certificate, or null for plain HTTP) and
    /// kept; dispose what <paramref name="created"/> is handed.
    /// </summary>
    public static PatroniClient ForCluster(Func<CancellationToken, Task<PatroniApiCredentials?>> credentials, TimeSpan timeout, Action<HttpClient> created)
    {
        Task<HttpClient>? made = null;
        var gate = new object();
        return new PatroniClient(ct =>
        {
            lock (gate)
            {
                return made ??= Make(ct);
            }
        });

        async Task<HttpClient> Make(CancellationToken ct)
        {
            var client = PatroniHttp.Create(await credentials(ct).ConfigureAwait(false), timeout);
            created(client);
            return client;
        }
    }

    /// <summary><c>GET /cluster</c>: every member as the store knows it.</summary>
    public async Task<PatroniClusterView> GetClusterAsync(Uri api, CancellationToken cancellationToken) =>
        PatroniClusterView.Parse(await GetAsync(new Uri(api, "/cluster"), cancellationToken).ConfigureAwait(false));

    /// <summary><c>GET /patroni</c>: the member's own state, role and timeline.</summary>
    public async Task<PatroniNodeStatus> GetNodeStatusAsync(Uri api, CancellationToken cancellationToken) =>
        PatroniNodeStatus.Parse(await GetAsync(new Uri(api, "/patroni"), cancellationToken).ConfigureAwait(false));

    /// <summary><c>GET /config</c>: the dynamic configuration as the store holds it (ttl, loop_wait, postgresql.parameters, ...).</summary>
    public async Task<JsonObject> GetConfigAsync(Uri api, CancellationToken cancellationToken) =>
        Object(await GetAsync(new Uri(api, "/config"), cancellationToken).ConfigureAwait(false), "/config");

    /// <summary>
    /// <c>PATCH /config</c>: merges <paramref name="changes"/> into the dynamic configuration (a null value removes a
    /// key) and returns the configuration as Patroni stored it. Every member applies it on its next loop.
    /// </summary>
    public async Task<JsonObject> PatchConfigAsync(Uri api, JsonObject changes, CancellationToken cancellationToken) =>
        Object(await SendAsync(HttpMethod.Patch, new Uri(api, "/config"), changes.ToJsonString(), cancellationToken).ConfigureAwait(false), "/config");

    /// <summary>A planned switchover from <paramref name="leader"/> to <paramref name="candidate"/>; Patroni answers once it is done or refused.</summary>
    public Task SwitchoverAsync(Uri api, string leader, string candidate, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, new Uri(api, "/switchover"), Body(("leader", leader), ("candidate", candidate)), cancellationToken);

    /// <summary>
    /// <c>POST /restart</c> on the member <paramref name="api"/> names: Patroni restarts its PostgreSQL in place and answers
    /// once it is done or failed. With <paramref name="onlyIfPending"/> Patroni restarts only when a changed parameter
    /// waits for a restart (<c>restart_pending</c>, judged by Patroni from its PostgreSQL now); returns false when it had none.
    /// </summary>
    public async Task<bool> RestartAsync(Uri api, bool onlyIfPending, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Post, new Uri(api, "/restart"), onlyIfPending ? "{\"restart_pending\": true}" : "{}", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException e) when (onlyIfPending && e.Message.Contains("restart conditions are not satisfied", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>A forced failover to <paramref name="candidate"/>, whatever the leader's state.</summary>
    public Task FailoverAsync(Uri api, string candidate, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, new Uri(api, "/failover"), Body(("candidate", candidate)), cancellationToken);

    private async Task<string> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        var http = await _http(cancellationToken).ConfigureAwait(false);
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A change: Patroni's answer on success, else what it said.</summary>
    private async Task<string> SendAsync(HttpMethod method, Uri uri, string json, CancellationToken cancellationToken)
    {
        // A buffered body: Patroni's HTTP server needs Content-Length (it answers 411 to a chunked request).
        using var request = new HttpRequestMessage(method, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        var http = await _http(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Patroni did not answer {uri.AbsolutePath} within {http.Timeout.TotalSeconds:0}s; " +
                "check `pgha status` before trying again (the change may still be under way).");
        }

        using (response)
        {
            var text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Patroni refused ({(int)response.StatusCode}): {(text.Length > 300 ? text[..300] + "..." : text)}");
            }

            return text;
        }
    }

    private static string Body(params (string Key, string Value)[] fields) =>
        JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value));

    private static JsonObject Object(string json, string path) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException($"Patroni's {path} answer is not a JSON object.");
}
