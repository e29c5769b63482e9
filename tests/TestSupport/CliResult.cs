namespace TicketGateway.TestSupport;

/// <summary>What a <c>ticketgw</c> CLI command ended with.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
