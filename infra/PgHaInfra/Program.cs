using PgHa.Infra;

return await Pulumi.Deployment.RunAsync(() => PgHaProgram.RunAsync()).ConfigureAwait(false);
