using Emu.Linux.Native;

namespace Emu.Memory;

/// <summary>
/// Drops the translator's own read-only file pages from its resident set once start-up is over. The .NET
/// runtime's start-up touches much of System.Private.CoreLib, libcoreclr and libclrjit (each fault maps 16
/// pages around it), and most of those pages are never used again; a guest program run afterwards faults
/// back, from the page cache, only what it uses. Only mappings that cannot have been written (no write
/// permission, no private copy of any page) are dropped, so nothing but residency changes.
/// </summary>
public static class RuntimePages
{
    private const int MADV_DONTNEED = 4;

    /// <summary>
    /// Releases the pages of every such mapping that lies inside [<paramref name="start"/>, <paramref name="end"/>);
    /// returns the kilobytes released. Another thread that made such a mapping writable and wrote to it while
    /// this runs would lose the write, so the translator calls it before it starts any thread of its own.
    /// </summary>
    public static long Release(ulong start = 0, ulong end = ulong.MaxValue)
    {
        var parser = new Parser { RangeStart = start, RangeEnd = end };
        try
        {
            using var smaps = File.OpenHandle("/proc/self/smaps");
            // Whole lines are parsed; a partial last line moves to the buffer's start for the next read.
            Span<byte> buffer = stackalloc byte[32 * 1024];
            int held = 0;
            long offset = 0;
            while (true)
            {
                int got = RandomAccess.Read(smaps, buffer[held..], offset);
                if (got <= 0) break;
                offset += got;
                held += got;
                var text = buffer[..held];
                int lastNewline = text.LastIndexOf((byte)'\n');
                if (lastNewline < 0)
                {
                    if (held == buffer.Length) return parser.Released; // a line longer than the buffer: give up
                    continue;
                }
                for (var rest = (ReadOnlySpan<byte>)text[..(lastNewline + 1)]; !rest.IsEmpty;)
                {
                    int newline = rest.IndexOf((byte)'\n');
                    parser.Line(rest[..newline]);
                    rest = rest[(newline + 1)..];
                }
                text[(lastNewline + 1)..].CopyTo(buffer);
                held -= lastNewline + 1;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return parser.Released;
    }

    private struct Parser
    {
        public ulong RangeStart, RangeEnd;
        public long Released;
        private ulong _start, _end;
        private bool _candidate;
        private long _rssKb;

        public void Line(ReadOnlySpan<byte> line)
        {
            if (IsMappingHeader(line))
            {
                _candidate = ParseHeader(line, out _start, out _end) && _start >= RangeStart && _end <= RangeEnd;
                _rssKb = 0;
            }
            else if (_candidate && line.StartsWith("Rss:"u8))
            {
                _rssKb = FieldKb(line);
            }
            else if (_candidate && line.StartsWith("Anonymous:"u8))
            {
                // Anonymous pages here are private copies (relocated data): dropping them would lose the copy.
                if (_rssKb > 0 && FieldKb(line) == 0 &&
                    LibC.SyscallRaw(HostSyscall.Madvise, (long)_start, (long)(_end - _start), MADV_DONTNEED) == 0)
                    Released += _rssKb;
                _candidate = false;
            }
        }
    }

    // "start-end perms offset dev inode path": field lines start with a name and a colon instead.
    private static bool IsMappingHeader(ReadOnlySpan<byte> line)
    {
        int dash = line.IndexOf((byte)'-');
        int colon = line.IndexOf((byte)':');
        int space = line.IndexOf((byte)' ');
        return dash > 0 && space > dash && (colon < 0 || colon > space);
    }

    // A readable, never writable mapping of a file (inode not 0): "r--p", "r-xp" or "r--s".
    private static bool ParseHeader(ReadOnlySpan<byte> line, out ulong start, out ulong end)
    {
        start = end = 0;
        int dash = line.IndexOf((byte)'-');
        int space = line.IndexOf((byte)' ');
        if (!TryHex(line[..dash], out start) || !TryHex(line[(dash + 1)..space], out end)) return false;
        var rest = line[(space + 1)..];
        if (rest.Length < 4 || rest[0] != (byte)'r' || rest[1] != (byte)'-') return false;
        // offset, device, inode
        for (int field = 0; field < 3; field++)
        {
            int next = rest.IndexOf((byte)' ');
            if (next < 0) return false;
            rest = rest[(next + 1)..].TrimStart((byte)' ');
        }
        int inodeEnd = rest.IndexOf((byte)' ');
        var inode = inodeEnd < 0 ? rest : rest[..inodeEnd];
        return !(inode.Length == 1 && inode[0] == (byte)'0');
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 16) return false;
        foreach (byte c in digits)
        {
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) return false;
            value = value << 4 | (uint)d;
        }
        return true;
    }

    // "Name:   1234 kB" → 1234
    private static long FieldKb(ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        long v = 0;
        foreach (byte c in line[(colon + 1)..])
        {
            if (c == (byte)' ') continue;
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
