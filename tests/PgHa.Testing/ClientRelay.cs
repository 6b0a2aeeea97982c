using System.Net;
using System.Net.Sockets;

namespace PgHa.Testing;

/// <summary>
/// Puts a client of this test process on a loopback address of its own. Npgsql cannot bind its socket to a local
/// address, so the client connects to this relay on 127.0.0.1 instead, and the relay opens the real connection to
/// <see cref="Target"/> from a socket bound to <see cref="Source"/>, then copies bytes both ways (TLS passes
/// through untouched). On the wire between the client's address and the member, the traffic is exactly the client's:
/// a cut between <see cref="Source"/> and the member stalls it as it would stall a real client's.
/// <see cref="AbortAll"/> breaks every connection at once (the client sees its connection reset), which is how a test
/// stops a client whose commit may wait forever without sending PostgreSQL a cancel request.
/// </summary>
public sealed class ClientRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    private ClientRelay(IPAddress source, IPEndPoint target)
    {
        Source = LoopbackAddress.Require(source, "a client's address");
        Target = target;
        LoopbackAddress.Require(target.Address, "the address a client connects to");
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>How long the relay tries to reach the target for one client connection.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    public IPAddress Source { get; }
    public IPEndPoint Target { get; }

    /// <summary>The port on 127.0.0.1 the client connects to instead of the target.</summary>
    public int Port { get; }

    public static ClientRelay Start(IPAddress source, IPEndPoint target) => new(source, target);

    /// <summary>Resets every connection through the relay (new ones are still accepted).</summary>
    public void AbortAll()
    {
        Socket[] sockets;
        lock (_sockets)
        {
            sockets = _sockets.ToArray();
            _sockets.Clear();
        }

        foreach (var socket in sockets)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0); // RST, not FIN
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        Track(client);
        Track(server);
        try
        {
            server.Bind(new IPEndPoint(Source, 0));
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                // A cut link drops the SYN: give up as a client's connect timeout would, not after the kernel's two minutes.
                connecting.CancelAfter(ConnectTimeout);
                await server.ConnectAsync(Target, connecting.Token).ConfigureAwait(false);
            }

            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client, server, done.Token);
            var down = PumpAsync(server, client, done.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await done.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The target is unreachable, or the relay was aborted: the client sees its connection close.
        }
        finally
        {
            Close(client);
            Close(server);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private void Track(Socket socket)
    {
        lock (_sockets)
        {
            _sockets.Add(socket);
        }
    }

    private void Close(Socket socket)
    {
        lock (_sockets)
        {
            _sockets.Remove(socket);
        }

        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        AbortAll();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
