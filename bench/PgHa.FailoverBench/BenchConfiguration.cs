using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.FailoverBench;

/// <summary>One column of the table: a name and the stack settings whose Patroni configuration it runs.</summary>
internal sealed record BenchConfiguration(string Name, PgHaSettings Settings)
{
    public static BenchConfiguration FromConfig(string name, params (string Key, string? Value)[] overrides) =>
        new(name, LoopbackSettings.Load(overrides));
}
