namespace PgHa.Core.Pods;

/// <summary>A named TCP port a container listens on.</summary>
public sealed record ContainerPort(string Name, int Port);
