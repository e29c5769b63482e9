using System.Text;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>Issue 12 on operator complaints: their files listed and saved, notes kept from the operator, merges refused.</summary>
public abstract class OperatorComplaintFilesTests(StoreKind engine)
{
    [Fact]
    public async Task OperatorComplaint_ShowListsItsFile_NoteQueuesNoUpdate_MergeIsRefusedBothWays()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine);
        var desk = rig.Desk;
        var receipt = await rig.A.SubmitComplaintAsync(Exchange.Complaint("FILES-1"));
        var reference = receipt.TicketRef;

        long id;
        using (var show = await desk.JsonAsync("tickets", "show", reference, "--json"))
        {
            var file = Assert.Single(show.RootElement.GetProperty("messages")[0].GetProperty("attachments").EnumerateArray());
            Assert.Equal("bill.txt", file.GetProperty("name").GetString());
            Assert.Equal("text/plain", file.GetProperty("contentType").GetString());
            Assert.Equal(Encoding.UTF8.GetByteCount("10.00 音乐包"), file.GetProperty("size").GetInt64());
            Assert.False(file.GetProperty("inline").GetBoolean());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, file.GetProperty("dropped").ValueKind);
            id = file.GetProperty("id").GetInt64();
        }

        var saved = Path.Combine(desk.Path, "saved-bill.txt");
        await desk.OkAsync("tickets", "attachment", "save", reference, id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", saved);
        Assert.Equal(Encoding.UTF8.GetBytes("10.00 音乐包"), await File.ReadAllBytesAsync(saved));

        var updates = desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates");
        Assert.True(updates >= 1, "the acceptance update is queued");
        await desk.OkAsync("tickets", "note", reference, "--text", "内部：用户情绪激动，回访时注意。");
        Assert.Equal(updates, desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates"));
        using (var show = await desk.JsonAsync("tickets", "show", reference, "--json"))
        {
            Assert.Contains(show.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "note" && m.GetProperty("text").GetString() == "内部：用户情绪激动，回访时注意。");
        }

        var phone = await desk.JsonAsync("tickets", "create", "--channel", "phone", "--kind", "complaint", "--customer-phone", "13800138000", "--subject", "乱扣费", "--text", "来电投诉", "--json");
        var phoneRef = phone.RootElement.GetProperty("ref").GetString()!;
        foreach (var (from, into) in new[] { (reference, phoneRef), (phoneRef, reference) })
        {
            var refused = await desk.RunAsync("tickets", "merge", from, "--into", into);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"{reference} is an operator complaint", refused.Stderr, StringComparison.Ordinal);
            Assert.Single(refused.Stderr.Trim().Split('\n'));
        }

        Assert.Equal(0, desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM ticket_merges"));
    }
}

public sealed class OperatorComplaintFilesTestsOnSqlite() : OperatorComplaintFilesTests(StoreKind.Sqlite);

public sealed class OperatorComplaintFilesTestsOnPostgres() : OperatorComplaintFilesTests(StoreKind.Postgres);
