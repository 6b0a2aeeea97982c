using YamlDotNet.Serialization;

namespace PgHa.Core.Patroni;

/// <summary>
/// A Patroni configuration file, typed: what every member shares (<see cref="Bootstrap"/>, <see cref="Postgresql"/>,
/// who may call the REST API: <see cref="RestApi"/>'s client-certificate rule and <see cref="Ctl"/>),
/// which the pods get as SPILO_CONFIGURATION, and the sections local to one member, which only a test machine sets
/// (in the pods Spilo writes them). Null is left out of the YAML (<see cref="PatroniConfig.ToYaml"/>).
/// </summary>
public sealed record PatroniConfiguration(PatroniBootstrap Bootstrap, PatroniPostgresql Postgresql)
{
    public string? Scope { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public PatroniEtcd3? Etcd3 { get; init; }

    [YamlMember(Alias = "restapi")]
    public PatroniRestApi? RestApi { get; init; }

    public PatroniCtl? Ctl { get; init; }

    public PatroniWatchdog? Watchdog { get; init; }

    public PatroniLog? Log { get; init; }
}
