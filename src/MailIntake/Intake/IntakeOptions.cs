using System.ComponentModel.DataAnnotations;

namespace TicketGateway.MailIntake.Intake;

/// <summary>Configuration section <c>Mail:Intake</c>: how mail becomes tickets.</summary>
public sealed class IntakeOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Mail:Intake";

    /// <summary>
    /// Kind rules, first match wins (keywords searched case-insensitively in subject and body);
    /// no match is an inquiry. Empty or unset: the built-in <see cref="DefaultKindRules"/>.
    /// </summary>
    /// <remarks>Null by default because the configuration binder appends to an initialised list instead of replacing it.</remarks>
    public List<KindRule>? KindRules { get; set; }

    /// <summary>Complaint level rules, first match wins; no match is level 1.</summary>
    public List<LevelRule>? LevelRules { get; set; }

    /// <summary>A sender who wrote more than this many mails in the last hour gets no more automatic replies.</summary>
    [Range(1, 10_000)]
    public int AutoReplyLimitPerHour { get; set; } = 5;

    /// <summary>Largest attachment kept (bytes); a bigger one is recorded as dropped.</summary>
    [Range(0, 1L << 31)]
    public long MaxAttachmentSize { get; set; } = 10L * 1024 * 1024;

    /// <summary>Most attachment bytes kept per mail; parts past it are recorded as dropped.</summary>
    [Range(0, 1L << 31)]
    public long MaxAttachmentsPerMail { get; set; } = 25L * 1024 * 1024;

    /// <summary>Mail bigger than this (bytes) is spooled to a file and parsed from there instead of memory.</summary>
    [Range(1024, 1L << 31)]
    public long SpoolThreshold { get; set; } = 1024 * 1024;

    /// <summary>Where spooled raw mail is kept; empty: <c>mail-spool</c> beside the database.</summary>
    public string? SpoolFolder { get; set; }

    /// <summary>Deepest MIME nesting accepted (MimeKit allows 1024; untrusted mail gets less).</summary>
    [Range(4, 1024)]
    public int MaxMimeDepth { get; set; } = 32;

    /// <summary>The built-in kind rules.</summary>
    public static IReadOnlyList<KindRule> DefaultKindRules { get; } =
    [
        new() { Kind = "complaint", Keywords = ["投诉", "complaint"] },
        new() { Kind = "fee", Keywords = ["扣费", "费用", "退费", "refund", "charge"] },
        new() { Kind = "report", Keywords = ["故障", "申告", "not working"] },
    ];

    /// <summary>The kind rules in force.</summary>
    public IReadOnlyList<KindRule> KindRulesInForce() => KindRules is { Count: > 0 } k ? k : DefaultKindRules;

    /// <summary>The level rules in force.</summary>
    public IReadOnlyList<LevelRule> LevelRulesInForce() => LevelRules ?? [];
}

/// <summary>Mail containing any keyword is of this kind.</summary>
public sealed class KindRule
{
    /// <summary><c>inquiry</c>, <c>fee</c>, <c>report</c> or <c>complaint</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Words searched in subject and body, case-insensitively.</summary>
    public List<string> Keywords { get; set; } = [];
}

/// <summary>A complaint containing any keyword gets this level.</summary>
public sealed class LevelRule
{
    /// <summary>1 to 4.</summary>
    public int Level { get; set; } = 1;

    /// <summary>Words searched in subject and body, case-insensitively.</summary>
    public List<string> Keywords { get; set; } = [];
}
