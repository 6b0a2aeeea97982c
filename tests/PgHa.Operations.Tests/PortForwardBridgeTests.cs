using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s.Models;
using PgHa.Operations.Kubernetes;

namespace PgHa.Operations.Tests;

/// <summary>The port-forward bridge's stream plumbing, with a loopback echo server standing in for the pod.</summary>
public sealed class PortForwardBridgeTests : IAsyncDisposable
{
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
    private int _opened;

    public PortForwardBridgeTests()
    {
        _echo.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _echo.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[1024];
                        int read;
                        while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                        {
                            await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                        }
                    }
                });
            }
        });
    }

    private async Task<Stream> OpenEchoAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)_echo.LocalEndpoint).Port, cancellationToken);
        return client.GetStream();
    }

    private async Task<string> RoundTripAsync(int port, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
        var stream = client.GetStream();
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(bytes, _stop.Token);
        var buffer = new byte[bytes.Length];
        await stream.ReadExactlyAsync(buffer, _stop.Token);
        return Encoding.UTF8.GetString(buffer);
    }

    [Fact]
    public async Task Bytes_travel_both_ways_through_the_bridge()
    {
        await using var bridge = new PortForwardBridge(OpenEchoAsync);
        Assert.Equal("SELECT 1; -- through the bridge", await RoundTripAsync(bridge.LocalPort, "SELECT 1; -- through the bridge"));
    }

    [Fact]
    public async Task Each_connection_gets_its_own_remote_stream()
    {
        await using var bridge = new PortForwardBridge(OpenEchoAsync);
        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => RoundTripAsync(bridge.LocalPort, $"member-{i}")));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"member-{i}"), replies);
        Assert.Equal(5, _opened);
    }

    [Fact]
    public async Task A_remote_that_cannot_be_opened_closes_the_local_connection()
    {
        await using var bridge = new PortForwardBridge(_ => throw new HttpRequestException("403 Forbidden: pods/portforward"));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, bridge.LocalPort, _stop.Token);
        var read = await client.GetStream().ReadAsync(new byte[16], _stop.Token);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task When_the_remote_ends_the_local_side_sees_end_of_stream()
    {
        await using var bridge = new PortForwardBridge(_ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("bye"))));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, bridge.LocalPort, _stop.Token);
        var stream = client.GetStream();
        var buffer = new byte[3];
        await stream.ReadExactlyAsync(buffer, _stop.Token);
        Assert.Equal("bye", Encoding.UTF8.GetString(buffer));
        Assert.Equal(0, await stream.ReadAsync(new byte[1], _stop.Token));
    }

    [Fact]
    public void Ready_pods_come_from_endpoint_slices()
    {
        static V1Endpoint Endpoint(string pod, bool? ready, string kind = "Pod") =>
            new() { Addresses = ["10.0.0.1"], Conditions = new V1EndpointConditions { Ready = ready }, TargetRef = new V1ObjectReference { Kind = kind, Name = pod } };
        var slices = new[]
        {
            new V1EndpointSlice { AddressType = "IPv4", Endpoints = [Endpoint("db-2", true), Endpoint("db-1", false), Endpoint("node-x", true, "Node")] },
            new V1EndpointSlice { AddressType = "IPv4", Endpoints = [Endpoint("db-2", true), Endpoint("db-0", null)] },
            new V1EndpointSlice { AddressType = "IPv4" },
        };
        Assert.Equal(["db-0", "db-2"], KubernetesServiceEndpoints.ReadyPods(slices));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _echo.Stop();
        _stop.Dispose();
    }
}
