using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Replies;

/// <summary>The workflow the intake calls, against the real store; delivery is covered with the real SMTP sink in OperatorGateway.Tests.</summary>
public abstract class ReplyWorkflowTests(StoreKind engine)
{
    [Fact]
    public async Task OnNewTicketFromMail_EnglishCustomer_QueuesThreadedAutomaticAcknowledgementAndNotifiesAgents()
    {
        await using var host = new ReplyHost(engine);
        var mail = ReplyHost.Mail("Jane <jane@customer.test>", ReplyHost.Support, "Charged twice", "I was charged twice this month.", inReplyTo: "earlier@customer.test");

        var ticket = await host.FromMailAsync(mail, TicketKind.Fee, "en");

        var queued = host.Queued();
        Assert.Equal(2, queued.Count);
        var (ackEntry, ack) = queued[0];
        Assert.Equal("acknowledgement", ackEntry.Purpose);
        Assert.Equal(["jane@customer.test"], ackEntry.Recipients);
        Assert.Equal($"[{ticket.Ref}] We received your fee inquiry: Charged twice", ack.Subject);
        Assert.Equal(mail.MessageId, ack.InReplyTo);
        Assert.Equal(["earlier@customer.test", mail.MessageId!], ack.References);
        Assert.Equal("auto-replied", ack.Headers["Auto-Submitted"]);
        Assert.Equal(ReplyHost.Support, ack.Headers[Outbox.LoopHeader]);
        Assert.EndsWith("@desk.test", ack.MessageId, StringComparison.Ordinal);
        Assert.Contains("Dear Jane", ack.TextBody, StringComparison.Ordinal);

        var (noteEntry, notification) = queued[1];
        Assert.Equal(TemplateNames.AgentNotification, noteEntry.Purpose);
        Assert.Equal([ReplyHost.Agents], noteEntry.Recipients);
        Assert.Equal(host.Workflow.SignedAddress(ticket.Id), notification.ReplyTo.Mailboxes.Single().Address);
        Assert.Contains("I was charged twice this month.", notification.TextBody, StringComparison.Ordinal);

        // The acknowledgement is on the ticket with its Message-ID, so a reply to it threads.
        var outbound = Assert.Single(host.Tickets.Get(ticket.Ref).Messages, m => m.Direction == MessageDirection.Outbound);
        Assert.Equal(ack.MessageId, outbound.MessageId);
        Assert.True(outbound.Automatic);
    }

    [Fact]
    public async Task OnNewTicketFromMail_AutoReply_GetsNoAcknowledgement()
    {
        await using var host = new ReplyHost(engine);
        var mail = ReplyHost.Mail("jane@customer.test", ReplyHost.Support, "Out of office", "I am away.");
        mail.Headers.Add("Auto-Submitted", "auto-replied");

        await host.FromMailAsync(mail, TicketKind.Inquiry);

        Assert.DoesNotContain(host.Queued(), q => q.Entry.Purpose == "acknowledgement");
    }

    [Theory]
    [InlineData("X-Autoreply", "yes")]
    [InlineData("Auto-Submitted", "no-reply")]
    public async Task OnNewTicketFromMail_RobotTheTwoClassifiersOnceDisagreedOn_GetsNoAcknowledgement(string header, string value)
    {
        await using var host = new ReplyHost(engine);
        var mail = ReplyHost.Mail("jane@customer.test", ReplyHost.Support, "Away", "I am away.");
        mail.Headers.Add(header, value);

        await host.FromMailAsync(mail, TicketKind.Inquiry);

        Assert.DoesNotContain(host.Queued(), q => q.Entry.Purpose == "acknowledgement");
        Assert.Contains(host.Queued(), q => q.Entry.Purpose == TemplateNames.AgentNotification);
    }

    [Fact]
    public async Task TryHandleAgentMail_AgentReplyWithQuote_SendsOnlyTheAgentsTextInTheTemplate()
    {
        await using var host = new ReplyHost(engine);
        var customerMail = ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "这个月多扣了 10 元");
        var ticket = await host.FromMailAsync(customerMail, TicketKind.Complaint);
        var agentMail = AgentMail(host, ticket.Id, "您好，已为您退费 10 元。\n\n在 2026年11月26日，TicketGateway 写道：\n> 新工单\n");

        var outcome = await host.WriteAsync((c, tx) => host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(agentMail), out _));

        Assert.Equal(AgentMailOutcome.Applied, outcome);
        var (entry, reply) = host.Queued().Single(q => q.Entry.Purpose == "agent-reply");
        Assert.Equal(["zhang@customer.test"], entry.Recipients);
        Assert.True(entry.CountsAsReply);
        Assert.Contains("您好，已为您退费 10 元。", reply.TextBody, StringComparison.Ordinal);
        Assert.Contains("客服 李四", reply.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("写道", reply.TextBody, StringComparison.Ordinal);
        Assert.Equal(customerMail.MessageId, reply.InReplyTo);
        Assert.Null(reply.Headers["Auto-Submitted"]);
    }

    [Fact]
    public async Task TryHandleAgentMail_ReplyWithAFileAndASignatureLogo_SendsTheFileOnToTheCustomer()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "发票", "请开发票"), TicketKind.Inquiry);
        byte[] invoice = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0xE5, 0x8F, 0x91];
        var agentMail = WithFiles(AgentMail(host, ticket.Id, "您好，发票见附件。"), ("发票-2026-11.pdf", "application/pdf", invoice, false), ("logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47], true));

        var outcome = await host.WriteAsync((c, tx) => (host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(agentMail), out var sent), sent));

        Assert.Equal((AgentMailOutcome.Applied, true), outcome);
        var (_, reply) = host.Queued().Single(q => q.Entry.Purpose == "agent-reply");
        // The file goes on; the signature's inline logo does not.
        var file = Assert.Single(reply.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("发票-2026-11.pdf", file.FileName);
        using var bytes = new MemoryStream();
        file.Content!.DecodeTo(bytes);
        Assert.Equal(invoice, bytes.ToArray());
        // Stored once, with the answer that carried it.
        var stored = Assert.Single(host.Tickets.Attachments(ticket.Ref));
        Assert.Equal("发票-2026-11.pdf", stored.Name);
        Assert.Equal(host.Tickets.Get(ticket.Ref).Messages.Single(m => m.Direction == MessageDirection.Outbound && !m.Automatic).Id, stored.MessageId);
    }

    [Fact]
    public async Task TryHandleAgentMail_FilesOverTheLimit_RefusedTheAgentIsToldNothingGoesToTheCustomer()
    {
        await using var host = new ReplyHost(engine, new() { ["Mail:Outbound:MaxAttachmentBytes"] = "10" });
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "发票", "请开发票"), TicketKind.Inquiry);
        var agentMail = WithFiles(AgentMail(host, ticket.Id, "您好，发票见附件。"), ("big.pdf", "application/pdf", new byte[11], false));

        var outcome = await host.WriteAsync((c, tx) => (host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(agentMail), out var sent), sent));

        Assert.Equal((AgentMailOutcome.Refused, false), outcome);
        Assert.DoesNotContain(host.Queued(), q => q.Entry.Purpose == "agent-reply");
        var (entry, answer) = host.Queued().Single(q => q.Entry.Recipients.Contains(ReplyHost.AgentEmail));
        Assert.Contains("11 bytes together; a mail may carry at most 10 (Mail:Outbound:MaxAttachmentBytes)", answer.TextBody, StringComparison.Ordinal);
        Assert.Null(host.Tickets.Get(ticket.Ref).Ticket.FirstReplyAt);
    }

    [Fact]
    public async Task TryHandleAgentMail_ReplyOnOperatorComplaint_RecordedAsAnswerNoMailToAnyCustomer()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.Tickets.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800138000"), "未订购却被扣费", "用户称被扣费", 1), "operator:op-a");
        var before = host.Queued().Count;

        var outcome = await HandleAsync(host, ticket.Id, "已核实，正在退费。");

        // The operator exchange's observer sends this outbound message to the operator as a progress update.
        Assert.Equal(AgentMailOutcome.Applied, outcome);
        Assert.Equal(before, host.Queued().Count);
        var answer = Assert.Single(host.Tickets.Get(ticket.Ref).Messages, m => m.Direction == MessageDirection.Outbound);
        Assert.Equal(("已核实，正在退费。", false), (answer.Text, answer.Automatic));
    }

    [Fact]
    public async Task TryHandleAgentMail_Note_RecordsNoteAndSendsNothing()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ComplaintAsync(host);
        var before = host.Queued().Count;

        var outcome = await HandleAsync(host, ticket.Id, "#note\n已电话联系客户，明天回电。");

        Assert.Equal(AgentMailOutcome.Applied, outcome);
        Assert.Equal(before, host.Queued().Count);
        var note = Assert.Single(host.Tickets.Get(ticket.Ref).Messages, m => m.Direction == MessageDirection.Note);
        Assert.Equal("已电话联系客户，明天回电。", note.Text);
    }

    [Fact]
    public async Task TryHandleAgentMail_Resolve_ResolvesAndQueuesResolutionThenSurvey()
    {
        await using var host = new ReplyHost(engine);
        var customerMail = ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "多扣了");
        var ticket = await host.FromMailAsync(customerMail, TicketKind.Complaint);

        var outcome = await HandleAsync(host, ticket.Id, "#resolve\n已退费 10 元。");

        Assert.Equal(AgentMailOutcome.Applied, outcome);
        var t = host.Tickets.Get(ticket.Ref).Ticket;
        Assert.Equal(TicketStatus.Resolved, t.Status);
        Assert.Equal("已退费 10 元。", t.Resolution);
        var queued = host.Queued();
        Assert.Equal(["acknowledgement", TemplateNames.AgentNotification, TemplateNames.Resolution, TemplateNames.Survey], queued.Select(q => q.Entry.Purpose));
        var (entry, resolution) = queued[2];
        Assert.True(entry.CountsAsReply);
        Assert.Equal($"[{ticket.Ref}] 已处理完毕：多扣费", resolution.Subject);
        Assert.Contains($"您的投诉（受理编号 {ticket.Ref}）已处理完毕：\n已退费 10 元。\n", resolution.TextBody, StringComparison.Ordinal);
        Assert.Equal(customerMail.MessageId, resolution.InReplyTo);
        Assert.Contains("2 或 不满意", queued[3].Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_EnglishEmailTicket_QueuesThreadedResolutionInTheCustomersLanguageBeforeTheSurvey()
    {
        await using var host = new ReplyHost(engine);
        var customerMail = ReplyHost.Mail("Jane <jane@customer.test>", ReplyHost.Support, "Charged twice", "I was charged twice.");
        var ticket = await host.FromMailAsync(customerMail, TicketKind.Fee, "en");
        var ack = host.Queued()[0].Message;

        await host.Tickets.ResolveAsync(ticket.Ref, "We refunded the second charge of 10 yuan.", "cli");

        var toCustomer = host.Queued().Where(q => q.Entry.Recipients.SequenceEqual(["jane@customer.test"])).ToList();
        Assert.Equal(["acknowledgement", TemplateNames.Resolution, TemplateNames.Survey], toCustomer.Select(q => q.Entry.Purpose));
        var (resolutionEntry, resolution) = toCustomer[1];
        var (surveyEntry, survey) = toCustomer[2];
        Assert.True(resolutionEntry.Id < surveyEntry.Id);
        Assert.Equal($"[{ticket.Ref}] Resolved: Charged twice", resolution.Subject);
        Assert.Contains($"Your fee inquiry {ticket.Ref} has been resolved:\nWe refunded the second charge of 10 yuan.\n", resolution.TextBody, StringComparison.Ordinal);
        Assert.Equal(customerMail.MessageId, resolution.InReplyTo);
        Assert.Equal([customerMail.MessageId!, ack.MessageId!], resolution.References);
        Assert.Null(resolution.Headers["Auto-Submitted"]);
        Assert.Equal(customerMail.MessageId, survey.InReplyTo);
        Assert.Contains(resolution.MessageId, survey.References);
        Assert.Contains(host.Tickets.Get(ticket.Ref).Messages, m => m.Direction == MessageDirection.Outbound && m.MessageId == resolution.MessageId);
    }

    [Fact]
    public async Task TryHandleAgentMail_ResolveWithoutText_TellsTheCustomerWithoutTheInternalResolution()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ComplaintAsync(host);

        await HandleAsync(host, ticket.Id, "#resolve");

        Assert.Equal("resolved by 李四", host.Tickets.Get(ticket.Ref).Ticket.Resolution);
        var resolution = host.Queued().Single(q => q.Entry.Purpose == TemplateNames.Resolution).Message;
        Assert.Contains($"您的投诉（受理编号 {ticket.Ref}）已处理完毕。\n", resolution.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("resolved by", resolution.TextBody, StringComparison.Ordinal);
        Assert.Equal(TemplateNames.Survey, host.Queued()[^1].Entry.Purpose);
    }

    [Fact]
    public async Task TryHandleAgentMail_ResolveWithCannedTemplate_SendsTheTemplateThenTheSurveyOnly()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "退订", "请退订"), TicketKind.Complaint);

        var outcome = await HandleAsync(host, ticket.Id, "#template unsubscribe-done\n#resolve");

        Assert.Equal(AgentMailOutcome.Applied, outcome);
        Assert.Equal(["acknowledgement", TemplateNames.AgentNotification, "template:unsubscribe-done", TemplateNames.Survey], host.Queued().Select(q => q.Entry.Purpose));
        Assert.Contains("已按您的要求办理退订", host.Queued()[2].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(TicketStatus.Resolved, host.Tickets.Get(ticket.Ref).Ticket.Status);
    }

    [Fact]
    public async Task TryHandleAgentMail_Close_ClosesTheTicketAsTheCliDoesAndSendsNothing()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ComplaintAsync(host);
        var before = host.Queued().Count;

        var outcome = await HandleAsync(host, ticket.Id, "#close");

        Assert.Equal(AgentMailOutcome.Applied, outcome);
        var details = host.Tickets.Get(ticket.Ref);
        Assert.Equal(TicketStatus.Closed, details.Ticket.Status);
        Assert.Contains(details.History, h => h.Action == "status" && h.Detail == "status new -> closed" && h.Actor == "lisi");
        Assert.Equal(before, host.Queued().Count);
    }

    [Fact]
    public async Task TryHandleAgentMail_LevelOnInquiry_AnswersTheAgentInTheDeskLanguage()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "问询", "请问"), TicketKind.Inquiry);

        var outcome = await HandleAsync(host, ticket.Id, "#level 2");

        Assert.Equal(AgentMailOutcome.Refused, outcome);
        var help = host.Queued().Single(q => q.Entry.Purpose == TemplateNames.AgentHelp).Message;
        Assert.Contains($"{ticket.Ref} 不是投诉（类型为 inquiry），只有投诉才有等级。", help.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnNewTicketFromMail_SubjectStartingWithItsKind_AcknowledgementNamesTheKindOnce()
    {
        await using var host = new ReplyHost(engine);

        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "投诉：未订购却被扣费", "多扣了"), TicketKind.Complaint);

        Assert.Equal($"[{ticket.Ref}] 已受理您的投诉：未订购却被扣费", host.Queued()[0].Message.Subject);
    }

    [Theory]
    [InlineData("lisi@desk.test", true)]
    [InlineData("mallory@evil.test", false)]
    public async Task TryHandleAgentMail_ForgedTokenOrStranger_IsUntrustedAndSendsNothingToTheCustomer(string from, bool forgeToken)
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ComplaintAsync(host);
        var to = forgeToken ? $"support+{ticket.Ref}.aaaaaaaaaaaaaaaa@desk.test" : host.Workflow.SignedAddress(ticket.Id);
        var forged = ReplyHost.Mail(from, to, "Re: 多扣费", "#resolve\n已处理，请忽略。");

        var outcome = await host.WriteAsync((c, tx) => host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(forged), out _));

        Assert.Equal(AgentMailOutcome.Untrusted, outcome);
        var details = host.Tickets.Get(ticket.Ref);
        Assert.Equal(TicketStatus.New, details.Ticket.Status);
        Assert.DoesNotContain(host.Queued(), q => q.Entry.Recipients.Contains("zhang@customer.test") && q.Entry.Purpose != "acknowledgement");
        var warning = Assert.Single(host.Queued(), q => q.Entry.Purpose == TemplateNames.AgentWarning);
        Assert.Equal([ReplyHost.Agents], warning.Entry.Recipients);
        Assert.Contains(details.Messages, m => m.Direction == MessageDirection.Note && m.Text.Contains("已处理，请忽略。", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryHandleAgentMail_UnknownCommand_AnswersTheAgentInChineseWithTheCommandListAndChangesNothing()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ComplaintAsync(host);

        var outcome = await HandleAsync(host, ticket.Id, "#resolv\n已退费。");

        Assert.Equal(AgentMailOutcome.Refused, outcome);
        var (entry, help) = host.Queued().Single(q => q.Entry.Purpose == TemplateNames.AgentHelp);
        Assert.Equal([ReplyHost.AgentEmail], entry.Recipients);
        Assert.Equal($"[{ticket.Ref}] 无法执行您的指令：多扣费", help.Subject);
        Assert.Contains($"您对工单 {ticket.Ref} 的邮件未被执行：未知命令“#resolv”。\n", help.TextBody, StringComparison.Ordinal);
        Assert.Contains("  #template NAME    以模板 NAME 代替正文发送\n", help.TextBody, StringComparison.Ordinal);
        Assert.Contains("  #close            关闭工单（不发送任何内容）\n", help.TextBody, StringComparison.Ordinal);
        Assert.DoesNotMatch("unknown|resolve the ticket|canned", help.TextBody);
        Assert.DoesNotContain(host.Queued(), q => q.Entry.Purpose == "agent-reply");
        Assert.Equal(TicketStatus.New, host.Tickets.Get(ticket.Ref).Ticket.Status);
    }

    [Fact]
    public async Task TryHandleAgentMail_UnknownCommandWithEnglishDesk_AnswersTheAgentInEnglish()
    {
        await using var host = new ReplyHost(engine, new() { ["Replies:DeskLanguage"] = "en" });
        var ticket = await ComplaintAsync(host);

        await HandleAsync(host, ticket.Id, "#resolv");

        var help = host.Queued().Single(q => q.Entry.Purpose == TemplateNames.AgentHelp).Message;
        Assert.Contains($"Your mail about {ticket.Ref} was not applied: unknown command '#resolv'.\n", help.TextBody, StringComparison.Ordinal);
        Assert.Contains("  #close            close the ticket (nothing is sent)\n", help.TextBody, StringComparison.Ordinal);
        // The customer's acknowledgement stays in the customer's language.
        Assert.StartsWith($"[{ticket.Ref}] 已受理您的投诉", host.Queued()[0].Message.Subject, StringComparison.Ordinal);
        Assert.StartsWith($"[{ticket.Ref}] New ticket (complaint)", host.Queued()[1].Message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryHandleAgentMail_OrdinaryCustomerMail_IsNotAgentMail()
    {
        await using var host = new ReplyHost(engine);
        var mail = ReplyHost.Mail(ReplyHost.AgentEmail, ReplyHost.Support, "question", "hello");

        Assert.Equal(AgentMailOutcome.NotAgentMail, await host.WriteAsync((c, tx) => host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(mail), out _)));
    }

    [Fact]
    public async Task TryHandleSurveyAnswer_TwoOnComplaint_ReopensItAndRecordsARepeatComplaint()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ResolvedAsync(host, TicketKind.Complaint);
        var survey = host.Queued().Single(q => q.Entry.Purpose == TemplateNames.Survey).Message;
        var answer = ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "Re: " + survey.Subject, "2\n\n> 您对处理结果是否满意？", inReplyTo: survey.MessageId);

        var handled = await host.WriteAsync((c, tx) => host.Surveys.TryHandleSurveyAnswer(c, tx, host.Tickets.Get(ticket.Ref).Ticket, ReplyHost.Incoming(answer)));

        Assert.True(handled);
        var original = host.Tickets.Get(ticket.Ref);
        Assert.Equal(TicketStatus.Open, original.Ticket.Status);
        Assert.Equal(Satisfaction.Unsatisfied, original.Ticket.Satisfaction);
        Assert.Contains(original.History, h => h.Action == "reopened");
        var repeat = Assert.Single(host.Tickets.List(new TicketQuery(null, null, null, 100)), t => t.Id != ticket.Id);
        Assert.Equal(ticket.Id, repeat.RepeatOf);
        Assert.Equal(TicketKind.Complaint, repeat.Kind);
        Assert.Contains(host.Queued(), q => q.Entry.Purpose == TemplateNames.AgentNotification && q.Message.Subject!.Contains("重复投诉", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryHandleSurveyAnswer_SatisfiedInquiry_RecordsAndStaysResolved()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await ResolvedAsync(host, TicketKind.Inquiry);

        var handled = await host.WriteAsync((c, tx) => host.Surveys.TryHandleSurveyAnswer(c, tx, host.Tickets.Get(ticket.Ref).Ticket, ReplyHost.Incoming(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "Re", "满意"))));

        Assert.True(handled);
        var t = host.Tickets.Get(ticket.Ref).Ticket;
        Assert.Equal(TicketStatus.Resolved, t.Status);
        Assert.Equal(Satisfaction.Satisfied, t.Satisfaction);
        Assert.Single(host.Tickets.List(new TicketQuery(null, null, null, 100)));
    }

    [Fact]
    public async Task TryHandleSurveyAnswer_OpenTicketOrOtherText_IsNotAnAnswer()
    {
        await using var host = new ReplyHost(engine);
        var open = await ComplaintAsync(host);
        var resolved = await ResolvedAsync(host, TicketKind.Complaint);

        Assert.False(await host.WriteAsync((c, tx) => host.Surveys.TryHandleSurveyAnswer(c, tx, open, ReplyHost.Incoming(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "Re", "2")))));
        Assert.False(await host.WriteAsync((c, tx) => host.Surveys.TryHandleSurveyAnswer(c, tx, host.Tickets.Get(resolved.Ref).Ticket, ReplyHost.Incoming(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "Re", "手机还是不能用")))));
    }

    [Fact]
    public async Task Reply_PhoneTicketWithoutEmail_IsRefused()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.Tickets.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13900139000"), "问询", "问询"), "cli");

        var ex = await Assert.ThrowsAsync<TicketException>(() => host.WriteAsync((c, tx) => host.Workflow.Reply(c, tx, ticket.Id, "hi", null, resolve: false, "cli")));

        Assert.Contains("no customer email", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorComplaint_Created_NotifiesAgentsWithSignedReplyAddress()
    {
        await using var host = new ReplyHost(engine);

        var ticket = await host.Tickets.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13900139000"), "用户投诉扣费", "用户称未订购却被扣费"), "operator");

        var (entry, mail) = Assert.Single(host.Queued());
        Assert.Equal([ReplyHost.Agents], entry.Recipients);
        Assert.StartsWith($"[{ticket.Ref}] 运营商投诉", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("用户称未订购却被扣费", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(host.Workflow.SignedAddress(ticket.Id), mail.ReplyTo.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task OperatorComplaint_CreatedWithAFile_NotificationListsTheFile()
    {
        await using var host = new ReplyHost(engine);
        var prepared = host.Tickets.Prepare(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13900139000"), "用户投诉扣费", "用户称未订购却被扣费", 1))
            with { Operator = new OperatorReference("op-a", "FILE-1") };
        byte[] bill = [.. "10.00 音乐包"u8];

        await host.WriteAsync((c, tx) => host.Tickets.Insert(c, tx, prepared, "用户称未订购却被扣费", "operator:op-a", files: [Attachments.NewAttachment.Of("账单.txt", "text/plain", bill)]));

        var (_, mail) = Assert.Single(host.Queued());
        Assert.Contains("账单.txt", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordBounce_OfOurAcknowledgement_MarksItFailedWithAnAlertAndHistory()
    {
        await using var host = new ReplyHost(engine);
        var ticket = await host.FromMailAsync(ReplyHost.Mail("gone@customer.test", ReplyHost.Support, "多扣费", "多扣了"), TicketKind.Complaint);
        var ack = host.Queued()[0];

        var found = await host.WriteAsync((c, tx) => host.Outbox.Delivery.RecordBounce(c, tx, $"<{ack.Message.MessageId}>", "550 5.1.1 user unknown"));
        var stranger = await host.WriteAsync((c, tx) => host.Outbox.Delivery.RecordBounce(c, tx, "someone-else@example.com", "550"));

        Assert.Equal(ticket.Id, found);
        Assert.Null(stranger);
        Assert.Equal(OutboxStatus.Failed, host.Outbox.Find(ack.Entry.Id)!.Status);
        Assert.Contains(host.Tickets.Get(ticket.Ref).History, h => h.Action == "undelivered" && h.Detail.Contains("user unknown", StringComparison.Ordinal));
        // One alert for the person on duty, however often the failure is reported (a bounce after a 5xx).
        await host.WriteAsync((c, tx) => host.Outbox.Delivery.RecordBounce(c, tx, ack.Message.MessageId!, "550 again"));
        Assert.Equal(1L, host.Tickets.Database.Read(c => c.Scalar("SELECT COUNT(*) FROM alerts WHERE kind = 'undelivered-mail' AND ticket_id = @t", null, ("@t", ticket.Id))));
    }

    private static async Task<Ticket> ResolvedAsync(ReplyHost host, TicketKind kind)
    {
        var ticket = await host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "多扣了"), kind);
        await host.Tickets.ResolveAsync(ticket.Ref, "已退费", "cli");
        return ticket;
    }

    private static Task<Ticket> ComplaintAsync(ReplyHost host) =>
        host.FromMailAsync(ReplyHost.Mail("zhang@customer.test", ReplyHost.Support, "多扣费", "多扣了"), TicketKind.Complaint);

    private static Task<AgentMailOutcome> HandleAsync(ReplyHost host, long ticketId, string body) =>
        host.WriteAsync((c, tx) => host.AgentMail.TryHandleAgentMail(c, tx, ReplyHost.Incoming(AgentMail(host, ticketId, body)), out _));

    private static MimeKit.MimeMessage WithFiles(MimeKit.MimeMessage mail, params (string Name, string Type, byte[] Content, bool Inline)[] files)
    {
        var body = new MimeKit.BodyBuilder { TextBody = ((MimeKit.TextPart)mail.Body!).Text };
        foreach (var (name, type, content, inline) in files)
        {
            var part = inline ? body.LinkedResources.Add(name, content, MimeKit.ContentType.Parse(type)) : body.Attachments.Add(name, content, MimeKit.ContentType.Parse(type));
            part.ContentId = inline ? MimeKit.Utils.MimeUtils.GenerateMessageId() : null;
        }

        mail.Body = body.ToMessageBody();
        return mail;
    }

    private static MimeKit.MimeMessage AgentMail(ReplyHost host, long ticketId, string body) =>
        ReplyHost.Mail(ReplyHost.AgentEmail, host.Workflow.SignedAddress(ticketId), "Re: notification", body);
}

public sealed class ReplyWorkflowTestsOnSqlite() : ReplyWorkflowTests(StoreKind.Sqlite);

public sealed class ReplyWorkflowTestsOnPostgres() : ReplyWorkflowTests(StoreKind.Postgres);
