namespace TicketGateway.Tickets.Replies;

/// <summary>Chooses the reply language from what the customer wrote: English when the text has Latin letters and no Chinese, Chinese otherwise.</summary>
public static class ReplyLanguage
{
    /// <summary><c>en</c> or <c>zh-CN</c>.</summary>
    public static string Detect(params string?[] texts)
    {
        var latin = false;
        foreach (var c in texts.SelectMany(t => t ?? ""))
        {
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf')
            {
                return "zh-CN";
            }

            latin |= char.IsAsciiLetter(c);
        }

        return latin ? "en" : "zh-CN";
    }
}
