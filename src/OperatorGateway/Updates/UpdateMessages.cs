using System.Globalization;
using Scriban;
using Scriban.Runtime;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>
/// Renders the <c>message</c> of each update from a Scriban template (zh-CN, the operator's agents
/// read it to the subscriber). Rendered when the update is queued, so a retry sends the same text.
/// </summary>
internal sealed class UpdateMessages(DeadlineCalculator deadlines)
{
    private static readonly Template Accepted = Parse("""
        您的投诉已受理（工单 {{ ticket_ref }}，{{ level }} 级投诉），我们将于 {{ due }} 前处理完毕并答复。
        """);

    private static readonly Template Progress = Parse("""
        工单 {{ ticket_ref }} 正在处理：{{ detail }}。{{ if due }}处理时限 {{ due }}。{{ end }}
        """);

    private static readonly Template Resolved = Parse("""
        工单 {{ ticket_ref }} 已处理完毕：{{ detail }}{{ if refund_yuan }} 已退费 {{ refund_yuan }} 元。{{ end }}
        """);

    private static readonly Template Withdrawn = Parse("""
        用户已撤销投诉，工单 {{ ticket_ref }} 已关闭。{{ if detail }}撤诉原因：{{ detail }}{{ end }}
        """);

    public string Render(UpdateKind kind, Ticket ticket, DateTimeOffset? due, string? detail, long? refundFen)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var model = new ScriptObject
        {
            ["ticket_ref"] = ticket.Ref,
            ["level"] = ticket.Level ?? 0,
            ["due"] = due is { } d ? TimeZoneInfo.ConvertTime(d, deadlines.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null,
            // The templates end each sentence themselves: a detail that already ends one would double it ("。。").
            ["detail"] = (detail ?? "").TrimEnd().TrimEnd('。', '.', '；', ';'),
            ["refund_yuan"] = refundFen is { } f ? (f / 100m).ToString("0.00", CultureInfo.InvariantCulture) : null,
        };
        // No builtin functions: the templates need none, and building Scriban's default builtins for
        // every render costs more than the SQL of the transaction it runs in.
        var context = new TemplateContext(new ScriptObject()) { StrictVariables = true };
        context.PushGlobal(model);
        var template = kind switch
        {
            UpdateKind.Accepted => Accepted,
            UpdateKind.Progress => Progress,
            UpdateKind.Resolved => Resolved,
            _ => Withdrawn,
        };
        return template.Render(context).Trim();
    }

    private static Template Parse(string text)
    {
        var template = Template.Parse(text);
        return template.HasErrors
            ? throw new InvalidOperationException("Update template is broken: " + string.Join("; ", template.Messages))
            : template;
    }
}
