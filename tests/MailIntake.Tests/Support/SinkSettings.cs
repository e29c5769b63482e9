using System.Globalization;

namespace TicketGateway.MailIntake.Tests.Support;

/// <summary>The settings that make a <c>ticketgw</c> process send its mail to a test's SMTP sink, quickly.</summary>
internal static class SinkSettings
{
    /// <summary>Adds <c>Mail:Smtp</c> for <paramref name="sink"/> to <paramref name="environment"/> and returns it.</summary>
    public static Dictionary<string, string> With(this Dictionary<string, string> environment, SmtpSink sink)
    {
        environment["Mail__Smtp__Host"] = "127.0.0.1";
        environment["Mail__Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        environment["Mail__Smtp__Security"] = "None";
        environment["Mail__Smtp__PollInterval"] = "00:00:00.200";
        environment["Mail__Smtp__RetryMin"] = "00:00:00.200";
        environment["Mail__Smtp__RetryMax"] = "00:00:01";
        return environment;
    }
}
