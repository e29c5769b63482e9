using TicketGateway.OperatorGateway.Benchmarks;

// A load generator for the operator exchange, separate from the gateway it measures:
//   OperatorGateway.Benchmarks --url http://127.0.0.1:PORT [--url ...] --key KEY --receiver-port PORT
//       [--seconds 10] [--concurrency 64] [--rate 1000] [--warmup 8] [--gateway-pid PID]... [--phases all|submit]
// Several --url (one per node) spread the calls round-robin; several --gateway-pid add up the nodes' CPU.
return await LoadRun.RunAsync(args);
