using System.Diagnostics;

namespace PgHa.Testing;

/// <summary>A single-node etcd on free loopback ports: the Patroni store on test machines (in the pods it is the Kubernetes API).</summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private readonly Process _process;

    private EtcdServer(Process process, string address, int clientPort)
    {
        _process = process;
        Address = address;
        ClientPort = clientPort;
    }

    /// <summary>The loopback address etcd listens on (127.0.0.1 unless the cluster has addresses of its own).</summary>
    public string Address { get; }

    public int ClientPort { get; }

    public string HostPort => $"{Address}:{ClientPort}";

    /// <summary>
    /// Starts etcd (this process's user; it needs nothing of postgres) with <paramref name="directory"/> as its data
    /// parent and working directory, on the given loopback ports (two free ones when none are given) of
    /// <paramref name="address"/>.
    /// </summary>
    public static async Task<EtcdServer> StartAsync(string directory, Action<string>? log, TimeSpan timeout, string etcd = "etcd",
        (int Client, int Peer)? ports = null, string address = "127.0.0.1")
    {
        Directory.CreateDirectory(directory);
        var (client, peer) = ports ?? TakePorts();
        var logFile = Path.Combine(directory, "etcd.log");
        var process = OsProcess.StartLogged(logFile, etcd,
        [
            "--name", "pgha-test",
            "--data-dir", Path.Combine(directory, "data"),
            "--listen-client-urls", $"http://{address}:{client}",
            "--advertise-client-urls", $"http://{address}:{client}",
            "--listen-peer-urls", $"http://{address}:{peer}",
            "--initial-advertise-peer-urls", $"http://{address}:{peer}",
            "--initial-cluster", $"pgha-test=http://{address}:{peer}",
        ], asPostgres: false, workingDirectory: directory);
        var server = new EtcdServer(process, address, client);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Wait.UntilTrueAsync($"etcd to report healthy on {server.HostPort}", timeout, async () =>
            {
                if (process.HasExited)
                {
                    throw new FatalWaitException($"etcd exited with {process.ExitCode}.{LogTail.Section("etcd's log", logFile)}");
                }

                return (await http.GetStringAsync(new Uri($"http://{server.HostPort}/health")).ConfigureAwait(false))
                    .Contains("\"health\":\"true\"", StringComparison.Ordinal);
            }, log).ConfigureAwait(false);
            return server;
        }
        catch (TimeoutException e)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException(e.Message + LogTail.Section("etcd's log", logFile), e);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Two free loopback ports: client and peer.</summary>
    public static (int Client, int Peer) TakePorts()
    {
        var ports = FreePorts.Take(2);
        return (ports[0], ports[1]);
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
