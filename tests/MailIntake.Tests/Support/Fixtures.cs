using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Tests.Support;

/// <summary>The raw .eml fixtures and a reader configured as in production.</summary>
internal static class Fixtures
{
    public static MailOptions Options { get; } = new() { SupportAddress = "support@example.com", TagPrefix = "TG" };

    public static byte[] Raw(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    public static MailReader Reader(IntakeOptions? intake = null) => new(Options, intake ?? new IntakeOptions());

    public static InboundMail Read(string name) => Reader().Read(Raw(name));

    /// <summary>A mail whose text sits <paramref name="depth"/> multiparts deep.</summary>
    public static byte[] Nested(int depth, string messageId)
    {
        var mail = new System.Text.StringBuilder($"From: deep@example.cn\r\nTo: support@example.com\r\nSubject: 投诉 nested\r\nMessage-ID: <{messageId}>\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < depth; i++)
        {
            mail.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        }

        mail.Append("Content-Type: text/plain; charset=utf-8\r\n\r\n我的话费被多扣了。\r\n");
        for (var i = depth - 1; i >= 0; i--)
        {
            mail.Append(System.Globalization.CultureInfo.InvariantCulture, $"--b{i}--\r\n");
        }

        return System.Text.Encoding.UTF8.GetBytes(mail.ToString());
    }

    /// <summary>A simple mail, built as text (ASCII or UTF-8).</summary>
    public static byte[] Mail(string from, string subject, string body, string messageId, string? inReplyTo = null, string? references = null, string? extraHeaders = null)
    {
        var head = $"From: {from}\r\nTo: support@example.com\r\nSubject: {subject}\r\nMessage-ID: <{messageId}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n"
            + (inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}>\r\n")
            + (references is null ? "" : $"References: {references}\r\n")
            + (extraHeaders ?? "")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        return System.Text.Encoding.UTF8.GetBytes(head + body + "\r\n");
    }
}
