using System.Net;
using System.Net.Sockets;
using k8s;

namespace PgHa.Operations.Kubernetes;

/// <summary>
/// A local TCP port that forwards every connection to a pod's port through the Kubernetes API (what
/// `kubectl port-forward` does), so the verifier works from a laptop or a CI runner outside the cluster.
/// </summary>
public sealed class PortForwardBridge : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<CancellationToken, Task<Stream>> _openRemote;
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;

    /// <param name="openRemote">Opens one stream to the remote port (a port-forward channel, or anything in tests).</param>
    public PortForwardBridge(Func<CancellationToken, Task<Stream>> openRemote)
    {
        _openRemote = openRemote;
        _listener.Start();
        LocalPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>The 127.0.0.1 port that leads to the remote port.</summary>
    public int LocalPort { get; }

    /// <summary>A bridge to <paramref name="port"/> of <paramref name="pod"/> over the Kubernetes API's port-forward.</summary>
    public static PortForwardBridge ToPod(IKubernetes client, string ns, string pod, int port) => new(async cancellationToken =>
    {
        var socket = await client.WebSocketNamespacedPodPortForwardAsync(pod, ns, [port], "v4.channel.k8s.io",
            cancellationToken: cancellationToken).ConfigureAwait(false);
        // The demuxer strips the port number each port-forward channel starts with; channel 0 carries the data.
        var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
        demuxer.Start();
        return demuxer.GetStream((byte?)0, (byte?)0);
    });

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            Stream remote;
            try
            {
                remote = await _openRemote(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The caller sees its connection closed; the verifier reports the member unreachable.
                return;
            }

            await StreamBridge.PumpAsync(client.GetStream(), remote, _stop.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
    }
}
