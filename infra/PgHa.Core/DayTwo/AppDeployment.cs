namespace PgHa.Core.DayTwo;

/// <summary>An app Deployment that reads the app role's password from its Secret.</summary>
public sealed record AppDeployment(string Namespace, string Name);
