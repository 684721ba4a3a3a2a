namespace Emu.Tests.Loader;

/// <summary>One program header of a hand-built test ELF.</summary>
internal sealed record TestSegment(uint Type, uint Flags, ulong Offset, ulong VAddr, ulong FileSize, ulong MemSize, ulong Align = 0x1000);

/// <summary>
/// Writes small ELF64 files byte by byte (BinaryWriter), so each header field can be set to a valid or a
/// broken value independently of the code under test.
/// </summary>
internal sealed class TestElf
{
    public const uint PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
    public const uint PF_X = 1, PF_W = 2, PF_R = 4;

    public byte Class = 2;
    public byte Data = 1;
    public ushort Type = 2; // ET_EXEC
    public ushort Machine = 183;
    public ulong Entry = 0x400100;
    public ulong PhOff = 64;
    public ushort PhEntSize = 56;
    public ushort? PhNumOverride;
    public List<TestSegment> Segments = [];
    /// <summary>Bytes of the file after the headers; index = file offset. Grown as needed.</summary>
    public byte[] Body = new byte[0x2000];
    /// <summary>Cut the written file to this many bytes (truncation tests).</summary>
    public int? TruncateTo;

    public void Put(ulong offset, ReadOnlySpan<byte> bytes)
    {
        int end = (int)offset + bytes.Length;
        if (end > Body.Length) Array.Resize(ref Body, end);
        bytes.CopyTo(Body.AsSpan((int)offset));
    }

    /// <summary>
    /// A valid static executable: text RX at 0x400000 (file offset 0, holds headers and code) and data RW at
    /// 0x411000 (file offset 0x1000, 0x20 bytes of data then bss up to 0x413800).
    /// </summary>
    public static TestElf Static()
    {
        var e = new TestElf();
        e.Segments.Add(new TestSegment(PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x200, 0x200));
        e.Segments.Add(new TestSegment(PT_LOAD, PF_R | PF_W, 0x1000, 0x411000, 0x20, 0x2800));
        e.Segments.Add(new TestSegment(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16));
        // "Code" at the entry point and recognisable data; bytes after the data's file size in the same
        // file page must not show up in the bss.
        for (int i = 0; i < 0x100; i++) e.Body[0x100 + i] = (byte)(0xC0 + (i & 0xF));
        for (int i = 0; i < 0x20; i++) e.Body[0x1000 + i] = (byte)(i + 1);
        for (int i = 0x20; i < 0x1000; i++) e.Body[0x1000 + i] = 0xAA;
        return e;
    }

    public byte[] ToBytes()
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(Body);
        ms.Position = 0;
        // e_ident
        w.Write(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', Class, Data, 1, 0 });
        w.Write(new byte[8]);
        w.Write(Data == 2 ? (ushort)((Type >> 8) | (Type << 8)) : Type);
        w.Write(Data == 2 ? (ushort)((Machine >> 8) | (Machine << 8)) : Machine);
        w.Write(1u); // e_version
        w.Write(Entry);
        w.Write(PhOff);
        w.Write(0UL); // e_shoff
        w.Write(0u); // e_flags
        w.Write((ushort)64); // e_ehsize
        w.Write(PhEntSize);
        w.Write(PhNumOverride ?? (ushort)Segments.Count);
        w.Write((ushort)64); // e_shentsize
        w.Write((ushort)0); // e_shnum
        w.Write((ushort)0); // e_shstrndx
        if ((long)PhOff + 56L * Segments.Count <= ms.Length)
        {
            ms.Position = (long)PhOff;
            foreach (var s in Segments)
            {
                w.Write(s.Type);
                w.Write(s.Flags);
                w.Write(s.Offset);
                w.Write(s.VAddr);
                w.Write(s.VAddr); // p_paddr
                w.Write(s.FileSize);
                w.Write(s.MemSize);
                w.Write(s.Align);
            }
        }
        w.Flush();
        var bytes = ms.ToArray();
        return TruncateTo is { } n ? bytes[..n] : bytes;
    }

    /// <summary>Writes the file under <paramref name="dir"/> and returns its path.</summary>
    public string WriteTo(string dir, string name = "prog")
    {
        string path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, ToBytes());
        return path;
    }
}

/// <summary>A temporary directory removed at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("emu-loader-test-").FullName;
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
