namespace TicketGateway.OperatorGateway.Tests.Support;

// Support code used to live in (or be linked into) this namespace, and test files open it with a using
// line. the shared support types moved to TicketGateway.TestSupport (a global using in each test project); this marker
// keeps such using lines compiling, so tests written against the old layout need no edit.
internal static class MovedFromOperatorGatewaySupport
{
}
