namespace TicketGateway.MailIntake.Parsing;

/// <summary>A write-only stream that keeps the first <c>cap</c> bytes and counts the rest, so an oversized part is measured without being held.</summary>
internal sealed class CappedBuffer(long cap) : Stream
{
    private MemoryStream? _kept = new();

    public long Written { get; private set; }

    /// <summary>The bytes, or null when more than the cap was written.</summary>
    public byte[]? Content => _kept?.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Written += count;
        if (_kept is null)
        {
            return;
        }

        if (Written > cap)
        {
            _kept.Dispose();
            _kept = null;
            return;
        }

        _kept.Write(buffer, offset, count);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kept?.Dispose();
        }

        base.Dispose(disposing);
    }
}
