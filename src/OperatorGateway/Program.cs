using TicketGateway.OperatorGateway;

// `ticketgw` (or `ticketgw serve`) runs the gateway host; any other first word is a CLI command.
return await GatewayProgram.RunAsync(args);
