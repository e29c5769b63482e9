using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Unit.Storage;

public sealed class SchemaStepTests
{
    [Fact]
    public void Checksum_SameSqlWithCrlfLineEndings_IsTheSame()
    {
        var lf = new SchemaStep(500, "x", "CREATE TABLE t (\n    id INTEGER\n);\n");
        var crlf = new SchemaStep(500, "x", "CREATE TABLE t (\r\n    id INTEGER\r\n);\r\n");

        Assert.Equal(lf.Checksum, crlf.Checksum);
        // SHA-256 of the LF text, as `printf 'CREATE TABLE t (\n    id INTEGER\n);\n' | sha256sum` gives it.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("CREATE TABLE t (\n    id INTEGER\n);\n"u8)), lf.Checksum);
    }

    [Fact]
    public void Checksum_EditedSql_Differs()
    {
        Assert.NotEqual(new SchemaStep(500, "x", "CREATE TABLE t (id INTEGER);").Checksum, new SchemaStep(500, "x", "CREATE TABLE t (id BIGINT);").Checksum);
    }
}
