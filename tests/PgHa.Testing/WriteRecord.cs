namespace PgHa.Testing;

/// <summary>
/// One write a client sent: its unique id, which client sent it, the member it was sent to (which acknowledged it,
/// when it did), when it was sent and when the answer came (both since the ledger's start), and the outcome.
/// </summary>
public sealed record WriteRecord(long Id, string Client, string Member, TimeSpan Sent, TimeSpan Answered, WriteOutcome Outcome, string? Error = null)
{
    public bool IsAcknowledged => Outcome == WriteOutcome.Acknowledged;
}
