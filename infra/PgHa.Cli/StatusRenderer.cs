using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PgHa.Operations.Status;

namespace PgHa.Cli;

/// <summary><c>pgha status</c> as a table for people or JSON for scripts.</summary>
public static class StatusRenderer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string ToJson(ClusterStatus status) => JsonSerializer.Serialize(new
    {
        status.Namespace,
        status.Cluster,
        status.Healthy,
        status.Primary,
        status.Members,
        services = status.Services is null ? null : new { readWrite = status.Services.ReadWritePods, readOnly = status.Services.ReadOnlyPods },
        status.Archiving,
        problems = status.Problems.Select(p => new { check = p.Name, p.Expected, p.Observed }),
        status.CheckedAt,
    }, Json);

    public static string ToTable(ClusterStatus status)
    {
        string[] header = ["MEMBER", "ROLE", "STATE", "TL", "LAG BYTES", "LAG SECONDS", "SLOT ON PRIMARY", "SERVICES"];
        var rows = status.Members.Select(m => new[]
        {
            m.Name,
            m.Role,
            m.Error is null ? m.State : $"{m.State} ({m.Error})",
            m.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "-",
            m.LagBytes?.ToString(CultureInfo.InvariantCulture) ?? "-",
            m.LagSeconds?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-",
            m.Slot is null ? "-" : $"{m.Slot} ({(m.SlotActive == true ? "active" : "inactive")})",
            m.Services.Count == 0 ? "-" : string.Join(",", m.Services),
        }).ToList();

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"cluster {status.Cluster} in namespace {status.Namespace}, checked {status.CheckedAt:u}");
        foreach (var row in rows.Prepend(header))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        if (status.Archiving is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"WAL archiving: {status.Archiving}");
        }

        if (status.Healthy)
        {
            text.AppendLine("healthy");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"UNHEALTHY: {status.Problems.Count} problem(s)");
            foreach (var problem in status.Problems)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {problem}");
            }
        }

        return text.ToString();
    }
}
