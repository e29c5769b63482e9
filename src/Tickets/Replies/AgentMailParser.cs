using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Reads an agent's reply: commands on the first lines (<c>#resolve</c>, <c>#pending</c>,
/// <c>#level N</c>, <c>#kind K</c>, <c>#template NAME</c>, <c>#note</c>, <c>#close</c>), then the agent's
/// own text, cut where the quoted notification or the signature begins. Pure: text in, <see cref="AgentMail"/> out.
/// </summary>
public static partial class AgentMailParser
{
    private static readonly string[] EnglishHelp =
    [
        "#resolve          resolve the ticket (your text is the resolution and is sent to the customer)",
        "#pending          wait for the customer",
        "#close            close the ticket (nothing is sent)",
        "#level N          set the complaint level (1-4)",
        "#kind K           set the kind (inquiry, fee, report, complaint)",
        "#template NAME    send the canned template NAME instead of your text",
        "#note             your text is an internal note; nothing is sent",
    ];

    private static readonly string[] ChineseHelp =
    [
        "#resolve          办结工单（正文即处理结果，发送给客户）",
        "#pending          等待客户回复",
        "#close            关闭工单（不发送任何内容）",
        "#level N          设置投诉等级（1-4）",
        "#kind K           设置类型（inquiry 咨询、fee 费用查询、report 申告、complaint 投诉）",
        "#template NAME    以模板 NAME 代替正文发送",
        "#note             正文为内部备注，不发送",
    ];

    /// <summary>The command list shown to agents, in the desk language (<c>zh-CN</c> or <c>en</c>).</summary>
    public static IReadOnlyList<string> CommandHelp(string language) => language == "en" ? EnglishHelp : ChineseHelp;

    /// <summary>Parses the text body of an agent's mail; errors are written in <paramref name="language"/> (<c>zh-CN</c> or <c>en</c>).</summary>
    public static AgentMail Parse(string? body, string language = "en")
    {
        var zh = language != "en";
        var lines = (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var commands = new List<AgentCommand>();
        var errors = new List<string>();
        var i = 0;

        // Commands: the first non-blank lines starting with '#'.
        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!line.StartsWith('#'))
            {
                break;
            }

            foreach (var part in line.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (ParseCommand(part.Trim(), zh, out var command, out var error))
                {
                    commands.Add(command);
                }
                else
                {
                    errors.Add(error);
                }
            }
        }

        var text = new List<string>();
        for (; i < lines.Length; i++)
        {
            var line = lines[i];
            if (IsQuoteStart(line, i + 1 < lines.Length ? lines[i + 1] : null) || line.TrimEnd() is "--" || line == "-- ")
            {
                break;
            }

            text.Add(line.TrimEnd());
        }

        return new AgentMail(commands, string.Join('\n', text).Trim(), errors);
    }

    private static bool ParseCommand(string text, bool zh, out AgentCommand command, out string error)
    {
        command = null!;
        error = "";
        var space = text.IndexOfAny([' ', '\t']);
        var name = (space < 0 ? text : text[..space]).ToLowerInvariant();
        var arg = space < 0 ? null : text[(space + 1)..].Trim();
        if (arg is { Length: 0 })
        {
            arg = null;
        }

        switch (name)
        {
            case "#resolve" or "#pending" or "#note" or "#close" when arg is null:
                command = new AgentCommand(name switch
                {
                    "#resolve" => AgentCommandKind.Resolve,
                    "#pending" => AgentCommandKind.Pending,
                    "#close" => AgentCommandKind.Close,
                    _ => AgentCommandKind.Note,
                }, null);
                return true;
            case "#resolve" or "#pending" or "#note" or "#close":
                error = zh ? $"{name} 不带参数（“{text}”）。" : $"{name} takes no argument ('{text}').";
                return false;
            case "#level" when int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level is >= 1 and <= 4:
                command = new AgentCommand(AgentCommandKind.Level, level.ToString(CultureInfo.InvariantCulture));
                return true;
            case "#level":
                error = zh ? $"#level 需要等级 1-4（“{text}”）。" : $"#level needs a level 1-4 ('{text}').";
                return false;
            case "#kind" when Names.TryParse<TicketKind>(arg, out var kind):
                command = new AgentCommand(AgentCommandKind.Kind, Names.Of(kind));
                return true;
            case "#kind":
                error = zh ? $"#kind 需要以下之一：{Names.All<TicketKind>()}（“{text}”）。" : $"#kind needs one of {Names.All<TicketKind>()} ('{text}').";
                return false;
            case "#template" when arg is not null && TemplateName().IsMatch(arg):
                command = new AgentCommand(AgentCommandKind.Template, arg);
                return true;
            case "#template":
                error = zh ? $"#template 需要模板名称（“{text}”）。" : $"#template needs a template name ('{text}').";
                return false;
            default:
                error = zh ? $"未知命令“{text}”。" : $"unknown command '{text}'.";
                return false;
        }
    }

    // Where mail clients start the quoted original: "> ...", "On ... wrote:", "在 ... 写道：",
    // Outlook's "-----Original Message-----" / "-----原始邮件-----" and its "From: ... Sent: ..." block.
    private static bool IsQuoteStart(string line, string? next)
    {
        var t = line.Trim();
        return t.StartsWith('>')
            || OriginalMessage().IsMatch(t)
            || (t.StartsWith("On ", StringComparison.Ordinal) && (t.EndsWith("wrote:", StringComparison.Ordinal) || (next?.Trim().EndsWith("wrote:", StringComparison.Ordinal) ?? false)))
            || (t.StartsWith('在') && (t.EndsWith("写道：", StringComparison.Ordinal) || t.EndsWith("写道:", StringComparison.Ordinal)))
            || OutlookHeader().IsMatch(t)
            || t.StartsWith("---- 客户来信", StringComparison.Ordinal)
            || t.StartsWith("---- message from", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}\z", RegexOptions.IgnoreCase)]
    private static partial Regex TemplateName();

    [GeneratedRegex(@"^-{2,}\s*(Original Message|原始邮件|Forwarded message|转发的邮件)\s*-{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^(From|发件人)\s*[:：].+")]
    private static partial Regex OutlookHeader();
}
