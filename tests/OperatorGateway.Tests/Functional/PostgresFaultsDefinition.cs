namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>Tests that stop or restart the process's shared PostgreSQL: xunit runs them alone, after the parallel ones.</summary>
[CollectionDefinition(PostgresServer.FaultsCollection, DisableParallelization = true)]
public sealed class PostgresFaultsDefinition;
