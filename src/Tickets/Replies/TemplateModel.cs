using System.Globalization;
using System.Net;
using Scriban.Runtime;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Turns <see cref="TemplateData"/> into the plain script objects templates see: strings, numbers
/// and lists only. For HTML bodies every string is HTML-escaped here, so text from customers and
/// agents is always data, whatever the template does with it.
/// </summary>
internal static class TemplateModel
{
    private const int ModelFields = 13;
    private const int TicketFields = 13;

    public static ScriptObject Build(TemplateData data, string language, bool html, TimeZoneInfo zone, ReplyOptions replies, string supportAddress)
    {
        string? S(string? value) => value is null ? null : html ? WebUtility.HtmlEncode(value) : value;
        string? Time(DateTimeOffset? at) => at is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null;

        // Sized for their fields (and the ticket's three): Scriban's dictionary would otherwise grow and rehash
        // as they are added, for every part of every mail rendered.
        var model = new ScriptObject(ModelFields)
        {
            ["hotline"] = S(replies.Hotline),
            ["support_name"] = S(replies.SupportName),
            ["support_address"] = S(supportAddress),
            ["language"] = language,
            ["event"] = S(data.Event),
            ["reply_address"] = S(data.ReplyAddress),
            ["error"] = S(data.Error),
            ["agent"] = new ScriptObject { ["name"] = S(data.AgentName), ["text"] = S(data.AgentText) },
            ["message"] = new ScriptObject
            {
                ["from"] = S(data.MessageFrom),
                ["text"] = S(data.MessageText),
                // Names come from the customer's mail: data like the text, escaped for HTML bodies.
                ["attachments"] = new ScriptArray(data.MessageAttachments.Select(a => new ScriptObject
                {
                    ["name"] = S(a.Name ?? "(no name)"),
                    ["content_type"] = S(a.ContentType),
                    ["size"] = a.Size,
                    ["inline"] = a.Inline,
                    ["dropped"] = S(a.Dropped),
                })),
            },
            ["commands"] = new ScriptArray(AgentMailParser.CommandHelp(language).Select(c => S(c))),
        };

        if (data.Ticket is { } t)
        {
            model["ticket"] = new ScriptObject(TicketFields)
            {
                ["ref"] = t.Ref,
                ["subject"] = S(t.Subject),
                // The subject without a leading "投诉：" (its own kind), for subjects that name the kind themselves.
                ["topic"] = S(Topic(t.Subject, t.Kind)),
                ["kind"] = Names.Of(t.Kind),
                ["kind_label"] = KindLabel(t.Kind, language),
                ["channel"] = Names.Of(t.Channel),
                ["level"] = t.Level,
                ["status"] = Names.Of(t.Status),
                ["status_label"] = StatusLabel(t.Status, language),
                ["accepted_at"] = Time(t.AcceptedAt),
                ["reply_due_at"] = Time(t.ReplyDueAt),
                ["resolve_due_at"] = Time(t.ResolveDueAt),
                ["resolution"] = S(t.Resolution),
            };
            model["customer"] = new ScriptObject
            {
                ["name"] = S(t.Customer.Name),
                ["email"] = S(t.Customer.Email),
                ["phone"] = S(t.Customer.Phone),
            };

            // The deadline the customer is promised: resolution for complaints, first reply otherwise,
            // in the desk's zone (customers of a mainland SP live in it).
            model["deadline"] = Time(data.Deadline ?? t.ResolveDueAt ?? t.ReplyDueAt);
        }

        return model;
    }

    public static string KindLabel(TicketKind kind, string language) => (kind, language) switch
    {
        (TicketKind.Inquiry, "en") => "inquiry",
        (TicketKind.Fee, "en") => "fee inquiry",
        (TicketKind.Report, "en") => "problem report",
        (TicketKind.Complaint, "en") => "complaint",
        (TicketKind.Inquiry, _) => "咨询",
        (TicketKind.Fee, _) => "费用查询",
        (TicketKind.Report, _) => "申告",
        _ => "投诉",
    };

    private static string StatusLabel(TicketStatus status, string language) => language == "en"
        ? Names.Of(status)
        : status switch
        {
            TicketStatus.New => "新建",
            TicketStatus.Open => "处理中",
            TicketStatus.Pending => "等待客户",
            TicketStatus.Resolved => "已解决",
            _ => "已关闭",
        };

    private static string Topic(string subject, TicketKind kind)
    {
        foreach (var label in new[] { KindLabel(kind, "zh-CN"), KindLabel(kind, "en"), Names.Of(kind) })
        {
            if (subject.StartsWith(label, StringComparison.OrdinalIgnoreCase)
                && subject.AsSpan(label.Length).TrimStart() is [':' or '：', .. var rest]
                && !rest.IsWhiteSpace())
            {
                return rest.Trim().ToString();
            }
        }

        return subject;
    }

    /// <summary>The ticket every template is checked against.</summary>
    public static TemplateData Sample(DateTimeOffset now) => new()
    {
        Ticket = new Ticket
        {
            Id = 123,
            Channel = Channel.Email,
            Kind = TicketKind.Complaint,
            Level = 1,
            Status = TicketStatus.Open,
            Customer = new Customer("张三", "zhangsan@example.com", null),
            Subject = "本月多扣费 {{ 7 * 7 }}",
            AcceptedAt = now,
            ReplyDueAt = now.AddHours(2),
            ResolveDueAt = now.AddHours(2),
            Resolution = "已退费 10 元",
        },
        AgentName = "李四",
        AgentText = "您好，已为您退费。",
        MessageText = "我这个月被多扣了 10 元。",
        MessageFrom = "zhangsan@example.com",
        MessageAttachments = [new Attachments.AttachmentSummary("账单截图.png", "image/png", 48213, false, null)],
        Event = "new",
        ReplyAddress = "support+TG-000123.sample@example.com",
        Error = "unknown command #foo",
    };
}
