using System.Net;
using System.Net.Sockets;

namespace PgHa.Testing;

/// <summary>Ports the OS reports free on a loopback address (127.0.0.1 unless given), so two suites never collide on fixed ports.</summary>
public static class FreePorts
{
    public static int[] Take(int count, IPAddress? address = null)
    {
        // Hold all listeners until every port is chosen, so the same port is not handed out twice.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(address ?? IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
