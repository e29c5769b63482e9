using System.Text;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>The generated mail every intake benchmark delivers.</summary>
internal static class BenchMail
{
    // Four in five mails are new contacts, one in five replies to an earlier one by In-Reply-To.
    public static byte[] Raw(int i)
    {
        var reply = i % 5 == 4;
        var customer = reply ? i - 1 : i;
        var head = $"From: Customer {customer} <c{customer}@example.cn>\r\nTo: support@example.com\r\n"
            + $"Subject: {(reply ? "Re: " : "")}=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes($"扣费咨询 {customer}"))}?=\r\n"
            + $"Message-ID: <bench-{i}@example.cn>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n"
            + (reply ? $"In-Reply-To: <bench-{customer}@example.cn>\r\n" : "")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        return Encoding.UTF8.GetBytes(head + $"您好，我的手机号码本月被扣了 {i % 97} 元信息费，我没有订购过这项服务，请核实并退费。\r\n");
    }
}
