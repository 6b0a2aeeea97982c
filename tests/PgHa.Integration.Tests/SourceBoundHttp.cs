using System.Net;
using System.Net.Sockets;

namespace PgHa.Integration.Tests;

/// <summary>
/// HTTP clients whose connections leave from a chosen loopback address, as a request from another pod (or from a
/// member) arrives from that pod's IP: what Patroni's REST API allowlist decides on.
/// </summary>
public static class SourceBoundHttp
{
    public static HttpClient Create(IPAddress source, TimeSpan timeout)
    {
        if (!IsLoopback(source))
        {
            throw new ArgumentException($"{source} is outside 127.0.0.0/8: tests stay on loopback", nameof(source));
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var target = IPAddress.Parse(context.DnsEndPoint.Host);
                if (!IsLoopback(target))
                {
                    throw new InvalidOperationException($"{target} is outside 127.0.0.0/8: tests stay on loopback");
                }

                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }

    private static bool IsLoopback(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] == 127;
}
