using System.IO.Hashing;

namespace StopSync.Jobs.Sources.Gtfs;

// ZipArchive does not check the CRC when reading, and deflate decodes many damaged streams into plausible text: this
// check turns a corrupt entry into an error instead of silently wrong rows.
internal sealed class CrcCheckingStream(Stream inner, uint expectedCrc, long expectedLength) : Stream
{
    private readonly Crc32 _crc = new();
    private long _length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        if (read > 0)
        {
            _crc.Append(buffer[..read]);
            _length += read;
        }
        else if (buffer.Length > 0)
        {
            Verify();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Verify()
    {
        var crc = _crc.GetCurrentHashAsUInt32();
        if (crc != expectedCrc || _length != expectedLength)
        {
            throw new InvalidDataException(
                $"the data does not match the zip directory (CRC-32 {crc:x8}, {_length} bytes; expected {expectedCrc:x8}, {expectedLength} bytes)");
        }
    }
}
