using PgHa.Core.Waiting;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// The bound of one wait of a day-2 step and where its progress goes: every wait names what it waits for, reports the
/// time elapsed every few seconds, and on giving up says what it waited for and what it saw last.
/// </summary>
public sealed record DayTwoWait(TimeSpan Timeout, Action<string> Progress)
{
    /// <summary>Until <paramref name="probe"/> returns non-null; null or an exception (<see cref="NotYetException"/> to say what it saw) is "not yet".</summary>
    public Task<T> UntilAsync<T>(string what, Func<Task<T?>> probe, CancellationToken cancellationToken)
        where T : class =>
        Wait.UntilAsync(what, Timeout, probe, Progress, cancellationToken);

    public Task UntilTrueAsync(string what, Func<Task<bool>> condition, CancellationToken cancellationToken) =>
        Wait.UntilTrueAsync(what, Timeout, condition, Progress, cancellationToken);

    public DayTwoWait WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };
}
