using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace PgHa.Core.Patroni;

/// <summary>
/// Writes the Patroni configuration's value types: <see cref="PostgresParameters"/> as a mapping of strings and
/// integers, <see cref="InitdbOption"/> as a plain item or a one-key mapping. Scalars go back through the serializer,
/// so its quoting rules apply to them as to every other string.
/// </summary>
internal sealed class PatroniYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(PostgresParameters) || type == typeof(InitdbOption);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
        throw new NotSupportedException("The Patroni configuration is written, never read back.");

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        switch (value)
        {
            case PostgresParameters parameters:
                emitter.Emit(new MappingStart());
                foreach (var (name, parameter) in parameters)
                {
                    serializer(name, typeof(string));
                    serializer(parameter.Value, parameter.Value.GetType());
                }

                emitter.Emit(new MappingEnd());
                break;
            case InitdbOption { Value: null } flag:
                serializer(flag.Name, typeof(string));
                break;
            case InitdbOption option:
                emitter.Emit(new MappingStart());
                serializer(option.Name, typeof(string));
                serializer(option.Value, typeof(string));
                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new ArgumentException($"{type} is not a Patroni configuration value type", nameof(type));
        }
    }
}
