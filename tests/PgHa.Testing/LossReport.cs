using System.Globalization;
using System.Text;
using Npgsql;

namespace PgHa.Testing;

/// <summary>
/// The check at the end of a scenario: every acknowledged write must be on <see cref="Member"/> (the surviving
/// primary). <see cref="Lost"/> lists those that are not, each with when and by which member it was acknowledged;
/// <see cref="Phantoms"/> lists ids present that no client ever sent (which would mean the check itself is wrong).
/// Indeterminate writes may be present or not; their counts are reported, not judged.
/// </summary>
public sealed record LossReport(
    string Member,
    int Acknowledged,
    IReadOnlyList<WriteRecord> Lost,
    IReadOnlyList<long> Phantoms,
    int IndeterminatePresent,
    int IndeterminateAbsent,
    IReadOnlyList<(string Event, TimeSpan At)> Marks)
{
    public bool IsClean => Lost.Count == 0 && Phantoms.Count == 0;

    /// <summary>Compares what the clients sent with the ids <paramref name="present"/> on <paramref name="member"/>.</summary>
    public static LossReport Compare(string member, IReadOnlyCollection<WriteRecord> records, IReadOnlySet<long> present,
        IReadOnlyList<(string Event, TimeSpan At)>? marks = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(present);
        var sent = records.Select(r => r.Id).ToHashSet();
        var acknowledged = records.Where(r => r.IsAcknowledged).ToArray();
        var indeterminate = records.Where(r => !r.IsAcknowledged).ToArray();
        return new LossReport(
            member,
            acknowledged.Length,
            acknowledged.Where(r => !present.Contains(r.Id)).OrderBy(r => r.Answered).ToArray(),
            present.Where(id => !sent.Contains(id)).Order().ToArray(),
            indeterminate.Count(r => present.Contains(r.Id)),
            indeterminate.Count(r => !present.Contains(r.Id)),
            marks ?? []);
    }

    /// <summary>Reads the ids in <paramref name="table"/> on <paramref name="member"/> and compares them with the ledger.</summary>
    public static async Task<LossReport> CheckAsync(PatroniMember member, string table, WriteLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(ledger);
        await using var connection = await member.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT id FROM {table}", connection);
        var present = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                present.Add(reader.GetInt64(0));
            }
        }

        return Compare(member.Name, ledger.Records, present, ledger.Marks);
    }

    /// <summary>One paragraph: counts, then each lost write (id, member, when, relative to the scenario's events), then phantoms.</summary>
    public string Describe(int maxListed = 40)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Member} holds {Acknowledged - Lost.Count} of {Acknowledged} acknowledged writes; {Lost.Count} lost; indeterminate writes present {IndeterminatePresent}, absent {IndeterminateAbsent}");
        if (Marks.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; events: {string.Join(", ", Marks.Select(m => $"{m.Event} at {Seconds(m.At)}"))}");
        }

        foreach (var lost in Lost.Take(maxListed))
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  LOST id {lost.Id}: acknowledged by {lost.Member} to {lost.Client} at {Seconds(lost.Answered)}{Relative(lost.Answered)}");
        }

        if (Lost.Count > maxListed)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  ... and {Lost.Count - maxListed} more lost, the last acknowledged at {Seconds(Lost[^1].Answered)}");
        }

        if (Phantoms.Count > 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  PHANTOM ids present that no client sent: {string.Join(", ", Phantoms.Take(maxListed))}{(Phantoms.Count > maxListed ? ", ..." : "")}");
        }

        return text.ToString();
    }

    private string Relative(TimeSpan at)
    {
        var before = Marks.Where(m => m.At <= at).Select(m => ((string, TimeSpan)?)m).LastOrDefault();
        return before is { } mark ? $" ({Seconds(at - mark.Item2)} after {mark.Item1})" : "";
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s";
}
