namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Reads a customer's answer to the satisfaction survey from the first line of their reply:
/// <c>1</c>, <c>满意</c>, <c>satisfied</c> or <c>2</c>, <c>不满意</c>, <c>unsatisfied</c> (any case,
/// trailing punctuation ignored). Anything else is not an answer.
/// </summary>
public static class SurveyAnswerParser
{
    private static readonly char[] Trim = [' ', '\t', '.', '。', '!', '！', ',', '，', '"', '\'', '“', '”', '　'];

    /// <summary>The answer, or null when the first line is not one.</summary>
    public static Satisfaction? Parse(string? body)
    {
        var first = (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim(Trim))
            .FirstOrDefault(l => l.Length > 0);
        if (first is null || first.StartsWith('>'))
        {
            return null;
        }

        // Full-width digits (１, ２) are common from Chinese input methods.
        return first.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant() switch
        {
            "1" or "满意" or "satisfied" => Satisfaction.Satisfied,
            "2" or "不满意" or "unsatisfied" or "not satisfied" or "dissatisfied" => Satisfaction.Unsatisfied,
            _ => null,
        };
    }
}
