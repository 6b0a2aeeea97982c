namespace PgHa.Operations.Kubernetes;

/// <summary>Copies bytes both ways between two streams until either side ends, then closes both.</summary>
public static class StreamBridge
{
    public static async Task PumpAsync(Stream local, Stream remote, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(local, remote, linked.Token);
        var down = CopyAsync(remote, local, linked.Token);
        // When one direction ends (EOF or error), the connection is over: stop the other one too.
        await Task.WhenAny(up, down).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        await local.DisposeAsync().ConfigureAwait(false);
        await remote.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(Quietly(up), Quietly(down)).ConfigureAwait(false);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await to.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            // The other direction ended the connection; this one was cut short on purpose.
        }
    }
}
