using System.Diagnostics;

namespace PgHa.Core.Waiting;

/// <summary>
/// Bounded waiting: polls a probe until it succeeds or the timeout passes, reports progress (what it waits for,
/// elapsed, what is left) every few seconds, and on timeout says what it waited for and what it last saw.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    /// <summary>Waits until <paramref name="probe"/> returns a non-null value; null or an exception means "not yet".</summary>
    /// <param name="cancellationToken">Ends the wait at once (an <see cref="OperationCanceledException"/>).</param>
    public static async Task<T> UntilAsync<T>(string what, TimeSpan timeout, Func<Task<T?>> probe, Action<string>? progress = null,
        CancellationToken cancellationToken = default)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        var nextProgress = ProgressEvery;
        string lastSeen = "nothing yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await probe().ConfigureAwait(false) is { } result)
                {
                    return result;
                }

                lastSeen = "not yet";
            }
#pragma warning disable CA1031 // any failure of a probe means "not yet"; the last one is reported on timeout
            catch (NotYetException e)
            {
                lastSeen = e.Message;
            }
            catch (FatalWaitException)
            {
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
#pragma warning restore CA1031
            {
                lastSeen = $"{e.GetType().Name}: {e.Message}";
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0}s waiting for {what}; last observation: {lastSeen}");
            }

            if (clock.Elapsed >= nextProgress)
            {
                progress?.Invoke($"[progress] waiting for {what}: {clock.Elapsed.TotalSeconds:0}s elapsed, {(timeout - clock.Elapsed).TotalSeconds:0}s left (last: {lastSeen})");
                nextProgress += ProgressEvery;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (it may throw <see cref="NotYetException"/> to say what it saw).</summary>
    public static async Task UntilTrueAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, Action<string>? progress = null,
        CancellationToken cancellationToken = default) =>
        await UntilAsync(what, timeout, async () => await condition().ConfigureAwait(false) ? "done" : null, progress, cancellationToken).ConfigureAwait(false);
}

/// <summary>Thrown by a probe to say what it saw instead (reported if the wait times out).</summary>
public sealed class NotYetException(string observation) : Exception(observation);

/// <summary>Thrown by a probe when waiting longer cannot help (a process died): ends the wait at once.</summary>
public sealed class FatalWaitException(string message) : Exception(message);
