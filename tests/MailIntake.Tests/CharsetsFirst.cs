using System.Runtime.CompilerServices;
using TicketGateway.MailIntake.Parsing;

namespace TicketGateway.MailIntake.Tests;

internal static class CharsetsFirst
{
    // MimeKit remembers what it found for a charset name the first time it looks one up. If any test
    // parsed mail before the code pages were registered, Big5 or ISO-2022-JP would stay unknown for
    // the whole test run (seen as an intermittent failure, depending on test order). Production
    // registers in AddMailIntake() before any mail is read; the test assembly does it on load.
#pragma warning disable CA2255 // A test assembly, not a library: this runs before any test, which is the point.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => MailCharsets.Register();
}
