using PgHa.Infra;

return await Pulumi.Deployment.RunAsync(PgHaProgram.Run);
