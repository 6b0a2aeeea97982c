using System.Diagnostics;

namespace PgHa.Testing;

/// <summary>A single-node etcd on free loopback ports: the Patroni store on test machines (in the pods it is the Kubernetes API).</summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private readonly Process _process;

    private EtcdServer(Process process, int clientPort)
    {
        _process = process;
        ClientPort = clientPort;
    }

    public int ClientPort { get; }

    public string HostPort => $"127.0.0.1:{ClientPort}";

    public static async Task<EtcdServer> StartAsync(string directory, Action<string>? log, TimeSpan timeout)
    {
        Directory.CreateDirectory(directory);
        var ports = FreePorts.Take(2);
        var (client, peer) = (ports[0], ports[1]);
        var process = OsProcess.StartLogged(Path.Combine(directory, "etcd.log"), "etcd",
        [
            "--name", "pgha-test",
            "--data-dir", Path.Combine(directory, "data"),
            "--listen-client-urls", $"http://127.0.0.1:{client}",
            "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"pgha-test=http://127.0.0.1:{peer}",
        ], asPostgres: false);
        var server = new EtcdServer(process, client);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Wait.UntilTrueAsync($"etcd to report healthy on {server.HostPort}", timeout, async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"etcd exited with {process.ExitCode}; see {directory}/etcd.log");
                }

                return (await http.GetStringAsync(new Uri($"http://{server.HostPort}/health")).ConfigureAwait(false))
                    .Contains("\"health\":\"true\"", StringComparison.Ordinal);
            }, log).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
