using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Grpc;

/// <summary>
/// Checks requests against the contract and names the offending field as the .proto spells it
/// (<c>msisdn</c>, <c>attachments[2].name</c>), so the operator's engineers can fix it without asking.
/// </summary>
internal sealed partial class RequestValidation(IOptions<ComplaintOptions> options, TimeProvider time)
{
    private const int MaxTitleLength = 200;
    private const int MaxReasonLength = 2000;
    private const int MaxEcho = 32;
    private readonly ComplaintOptions _options = options.Value;

    public ComplaintSubmission Submission(SubmitComplaintRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var orderId = OrderId(r.OrderId);
        var msisdn = Msisdn(r.Msisdn);
        if (r.Category == ComplaintCategory.Unspecified || !System.Enum.IsDefined(r.Category))
        {
            throw ComplaintException.Invalid("category", "category must be one of FEE_DISPUTE, UNWANTED_SUBSCRIPTION, SERVICE_QUALITY, CONTENT, OTHER.");
        }

        if (!ServiceCodePattern().IsMatch(r.ServiceCode))
        {
            throw ComplaintException.Invalid("service_code", "service_code must be 1-32 characters of A-Z a-z 0-9 . _ -.");
        }

        var title = r.Title.Trim();
        if (title.Length is 0 or > MaxTitleLength)
        {
            throw ComplaintException.Invalid("title", $"title must be 1-{MaxTitleLength} characters; it is {title.Length}.");
        }

        var content = Content("content", r.Content);
        var receivedAt = Instant("received_at", r.ReceivedAt) ?? throw ComplaintException.Invalid("received_at", "received_at is required.");
        if (receivedAt > time.GetUtcNow().AddMinutes(5))
        {
            throw ComplaintException.Invalid("received_at", $"received_at {receivedAt:O} is in the future.");
        }

        var replyBy = Instant("reply_by", r.ReplyBy);
        if (replyBy is { } by && by <= receivedAt)
        {
            throw ComplaintException.Invalid("reply_by", "reply_by must be later than received_at.");
        }

        if (r.Level is < 0 or > 4)
        {
            throw ComplaintException.Invalid("level", $"level must be 0 (the gateway decides) or 1-4; it is {r.Level}.");
        }

        return new ComplaintSubmission(
            orderId, msisdn, Category(r.Category), r.ServiceCode, title, content, receivedAt, replyBy, r.Level, r.Repeat,
            Attachments(r.Attachments), Convert.ToHexString(SHA256.HashData(r.ToByteArray())));
    }

    public static string OrderId(string value) =>
        OrderIdPattern().IsMatch(value) ? value : throw ComplaintException.Invalid("order_id", "order_id must be 1-64 characters of A-Z a-z 0-9 . _ : -.");

    public string Content(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw ComplaintException.Invalid(field, $"{field} is required.");
        }

        return value.Length > _options.MaxContentLength
            ? throw ComplaintException.Invalid(field, $"{field} is {value.Length} characters long; the limit is {_options.MaxContentLength}.")
            : value;
    }

    public static string Reason(string field, string value) =>
        value.Length > MaxReasonLength ? throw ComplaintException.Invalid(field, $"{field} is {value.Length} characters long; the limit is {MaxReasonLength}.") : value.Trim();

    public IReadOnlyList<ComplaintAttachment> Attachments(RepeatedField<Attachment> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        if (attachments.Count > _options.MaxAttachments)
        {
            throw ComplaintException.Invalid("attachments", $"attachments holds {attachments.Count} files; the limit is {_options.MaxAttachments}.");
        }

        long total = 0;
        var list = new List<ComplaintAttachment>(attachments.Count);
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            if (a.Name.Length is 0 or > 255 || a.Name.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                throw ComplaintException.Invalid($"attachments[{i}].name", "An attachment name must be 1-255 characters without / or \\.");
            }

            if (a.ContentType.Length > 255)
            {
                throw ComplaintException.Invalid($"attachments[{i}].content_type", "An attachment content_type must be at most 255 characters.");
            }

            total += a.Content.Length;
            if (total > _options.MaxAttachmentBytes)
            {
                throw ComplaintException.Invalid($"attachments[{i}].content", $"The attachments exceed {_options.MaxAttachmentBytes} bytes together.");
            }

            list.Add(new ComplaintAttachment(a.Name, a.ContentType.Length > 0 ? a.ContentType : "application/octet-stream", a.Content.ToByteArray()));
        }

        return list;
    }

    private static string Msisdn(string value)
    {
        var m = MsisdnPattern().Match(value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));
        return m.Success
            ? m.Groups[1].Value
            : throw ComplaintException.Invalid("msisdn", $"msisdn '{Echo(value)}' is not a mainland mobile number (11 digits starting with 1, optionally +86).");
    }

    /// <summary>
    /// A bad value as it may be quoted back: at most <see cref="MaxEcho"/> characters and its length. A whole
    /// megabyte quoted in the status would also go into the trailers (breaking the caller's HTTP/2 connection) and the log.
    /// </summary>
    public static string Echo(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxEcho)
        {
            return value;
        }

        // Never cut between the halves of a surrogate pair.
        var cut = char.IsHighSurrogate(value[MaxEcho - 1]) ? MaxEcho - 1 : MaxEcho;
        return string.Create(CultureInfo.InvariantCulture, $"{value[..cut]}… ({value.Length} characters)");
    }

    private static DateTimeOffset? Instant(string field, Timestamp? value)
    {
        if (value is null)
        {
            return null;
        }

        // Timestamp.ToDateTimeOffset throws outside 0001-9999; the contract's range is narrower anyway.
        if (value.Seconds < 946_684_800 || value.Seconds > 4_102_444_800 || value.Nanos is < 0 or > 999_999_999)
        {
            throw ComplaintException.Invalid(field, $"{field} must be a time between 2000 and 2100.");
        }

        // The store keeps milliseconds; truncating here makes a repeated receipt equal to the first.
        return DateTimeOffset.FromUnixTimeMilliseconds(value.ToDateTimeOffset().ToUnixTimeMilliseconds());
    }

    private static string Category(ComplaintCategory category) => category switch
    {
        ComplaintCategory.FeeDispute => "fee_dispute",
        ComplaintCategory.UnwantedSubscription => "unwanted_subscription",
        ComplaintCategory.ServiceQuality => "service_quality",
        ComplaintCategory.Content => "content",
        _ => "other",
    };

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,64}\z")]
    private static partial Regex OrderIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._\-]{1,32}\z")]
    private static partial Regex ServiceCodePattern();

    [GeneratedRegex(@"^(?:\+?86)?(1[3-9][0-9]{9})\z")]
    private static partial Regex MsisdnPattern();
}
