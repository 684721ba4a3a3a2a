using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Emu.Loader;

/// <summary>One ELF64 program header.</summary>
internal sealed record ProgramHeader(int Index, uint Type, uint Flags, ulong Offset, ulong VAddr, ulong FileSize, ulong MemSize, ulong Align)
{
    public ulong MemEnd => VAddr + MemSize;
    public ulong FileEnd => VAddr + FileSize;
}

/// <summary>
/// The parsed and validated headers of an AArch64 ELF64 executable or shared object. Every check that
/// Linux's binfmt_elf would fail (and a few it would only stumble over later) throws
/// <see cref="ElfLoadException"/> with a one-line description.
/// </summary>
internal sealed class ElfFile
{
    public const ushort EM_AARCH64 = 183;
    public const ushort ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
    public const uint PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
    public const uint PF_X = 1, PF_W = 2, PF_R = 4;
    public const int HeaderSize = 64, PhdrSize = 56;
    private const ulong Page = 4096;
    // Linux refuses program header tables larger than this (fs/binfmt_elf.c load_elf_phdrs).
    private const int MaxPhdrTableBytes = 65536;
    // PATH_MAX: longer PT_INTERP strings are refused.
    private const int MaxInterpLength = 4096;

    public ushort Type { get; private init; }
    public ulong Entry { get; private init; }
    public ulong PhOff { get; private init; }
    public int PhNum { get; private init; }
    /// <summary>The raw program header table (copied to the stack if no segment maps it).</summary>
    public byte[] PhdrTable { get; private init; } = [];
    public ProgramHeader[] Phdrs { get; private init; } = [];
    /// <summary>PT_LOAD segments with a non-zero memory size, sorted by address, non-overlapping.</summary>
    public ProgramHeader[] Loads { get; private init; } = [];
    public string? Interpreter { get; private init; }
    public bool ExecutableStack { get; private init; }
    public ulong? PhdrVAddr { get; private init; }
    /// <summary>Page-aligned start of the lowest segment and end of the highest (unaligned).</summary>
    public ulong MinVAddr => Loads[0].VAddr & ~(Page - 1);
    public ulong MaxEnd
    {
        get
        {
            // A loop, not Enumerable.Max: its instantiation would be JIT-compiled at start-up.
            ulong end = 0;
            foreach (var l in Loads) end = Math.Max(end, l.MemEnd);
            return end;
        }
    }
    /// <summary>Largest power-of-two p_align of the PT_LOADs (at least a page).</summary>
    public ulong MaxAlign
    {
        get
        {
            ulong a = Page;
            foreach (var l in Loads)
                if (l.Align > a && ulong.IsPow2(l.Align) && l.Align <= 1UL << 30) a = l.Align;
            return a;
        }
    }

    /// <summary>Reads and validates the headers of <paramref name="file"/>; messages start with <paramref name="who"/>.</summary>
    public static ElfFile Parse(SafeFileHandle file, string who, ulong addressSpaceSize)
    {
        long length = RandomAccess.GetLength(file);
        var hdr = new byte[HeaderSize];
        int got = ReadAt(file, hdr, 0);
        Exception Fail(string problem) => new ElfLoadException(who + problem);

        if (got < 4 || hdr[0] != 0x7f || hdr[1] != (byte)'E' || hdr[2] != (byte)'L' || hdr[3] != (byte)'F')
        {
            if (got >= 2 && hdr[0] == '#' && hdr[1] == '!')
                throw Fail("is a script (#!), not an ELF executable; run its interpreter under emu-aarch64 instead");
            throw Fail("is not an ELF file (bad magic number)");
        }
        if (got < 20) throw Fail($"truncated ELF header ({got} of {HeaderSize} bytes)");
        byte cls = hdr[4], data = hdr[5];
        if (data != 1 && data != 2) throw Fail($"has an invalid ELF data encoding ({data})");
        ushort machine = data == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(hdr.AsSpan(18)) : BinaryPrimitives.ReadUInt16BigEndian(hdr.AsSpan(18));
        if (machine != EM_AARCH64) throw Fail($"is {MachineName(machine, cls)} ELF, not AArch64");
        if (cls == 1) throw Fail("is a 32-bit (ELFCLASS32, ILP32) AArch64 ELF; only 64-bit programs are supported");
        if (cls != 2) throw Fail($"has an invalid ELF class ({cls})");
        if (data != 1) throw Fail("is a big-endian AArch64 ELF; only little-endian programs are supported");
        if (got < HeaderSize) throw Fail($"truncated ELF header ({got} of {HeaderSize} bytes)");

        var h = hdr.AsSpan();
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(h[16..]);
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(h[24..]);
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(h[32..]);
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(h[54..]);
        ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(h[56..]);

        switch (type)
        {
            case ET_EXEC or ET_DYN: break;
            case ET_REL: throw Fail("is a relocatable object file (ET_REL), not an executable; link it first");
            case ET_CORE: throw Fail("is a core dump (ET_CORE), not an executable");
            default: throw Fail($"has an unsupported ELF type ({type}); expected an executable (ET_EXEC or ET_DYN)");
        }
        if (phnum == 0) throw Fail("has no program headers");
        if (phentsize != PhdrSize) throw Fail($"has a bad program header entry size ({phentsize}, expected {PhdrSize})");
        int tableBytes = phnum * PhdrSize;
        if (tableBytes > MaxPhdrTableBytes) throw Fail($"has too many program headers ({phnum})");
        if (phoff > (ulong)length || (ulong)tableBytes > (ulong)length - phoff)
            throw Fail($"program header table (offset 0x{phoff:x}, {phnum} entries) extends past the end of the file ({length} bytes; truncated?)");

        var table = new byte[tableBytes];
        if (ReadAt(file, table, (long)phoff) != tableBytes) throw Fail("program header table could not be read (file truncated?)");

        var phdrs = new ProgramHeader[phnum];
        var loads = new List<ProgramHeader>();
        string? interp = null;
        bool execStack = false;
        ulong? phdrVAddr = null;
        for (int i = 0; i < phnum; i++)
        {
            var p = table.AsSpan(i * PhdrSize, PhdrSize);
            var ph = new ProgramHeader(i,
                BinaryPrimitives.ReadUInt32LittleEndian(p),
                BinaryPrimitives.ReadUInt32LittleEndian(p[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[32..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[48..]));
            phdrs[i] = ph;
            switch (ph.Type)
            {
                case PT_LOAD:
                    CheckLoad(ph, length, addressSpaceSize, who);
                    if (ph.MemSize != 0) loads.Add(ph);
                    break;
                case PT_INTERP when interp == null:
                    interp = ReadInterp(file, ph, length, who);
                    break;
                case PT_GNU_STACK:
                    execStack = (ph.Flags & PF_X) != 0;
                    break;
                case PT_PHDR:
                    phdrVAddr = ph.VAddr;
                    break;
            }
        }
        if (loads.Count == 0) throw Fail("has no loadable (PT_LOAD) segments");

        // Segments may share a page (the loader merges their protections) but not bytes.
        loads.Sort((a, b) => a.VAddr.CompareTo(b.VAddr));
        for (int i = 1; i < loads.Count; i++)
        {
            var a = loads[i - 1];
            var b = loads[i];
            if (b.VAddr < a.MemEnd)
                throw Fail($"PT_LOAD segments {a.Index} [0x{a.VAddr:x}, 0x{a.MemEnd:x}) and {b.Index} [0x{b.VAddr:x}, 0x{b.MemEnd:x}) overlap");
        }
        return new ElfFile
        {
            Type = type,
            Entry = entry,
            PhOff = phoff,
            PhNum = phnum,
            PhdrTable = table,
            Phdrs = phdrs,
            Loads = loads.ToArray(),
            Interpreter = interp,
            ExecutableStack = execStack,
            PhdrVAddr = phdrVAddr,
        };
    }

    private static void CheckLoad(ProgramHeader ph, long length, ulong addressSpaceSize, string who)
    {
        string seg = $"{who}PT_LOAD segment {ph.Index}";
        if (ph.Offset > (ulong)length || ph.FileSize > (ulong)length - ph.Offset)
            throw new ElfLoadException($"{seg}: file data [0x{ph.Offset:x}, 0x{ph.Offset + ph.FileSize:x}) extends past the end of the file ({length} bytes; truncated?)");
        if (ph.FileSize > ph.MemSize)
            throw new ElfLoadException($"{seg}: file size 0x{ph.FileSize:x} is larger than its memory size 0x{ph.MemSize:x}");
        if (ph.MemSize == 0) return;
        if (ph.VAddr >= addressSpaceSize || ph.MemSize > addressSpaceSize - ph.VAddr)
            throw new ElfLoadException($"{seg}: [0x{ph.VAddr:x}, +0x{ph.MemSize:x}) lies outside the {addressSpaceSize >> 30} GiB guest address space");
        // Linux maps file pages at page granularity, so address and offset must agree within a page.
        if ((ph.VAddr - ph.Offset) % Page != 0)
            throw new ElfLoadException($"{seg}: address 0x{ph.VAddr:x} and file offset 0x{ph.Offset:x} differ modulo the page size (4096)");
    }

    private static string ReadInterp(SafeFileHandle file, ProgramHeader ph, long length, string who)
    {
        if (ph.FileSize < 2 || ph.FileSize > MaxInterpLength)
            throw new ElfLoadException($"{who}has a bad PT_INTERP (size {ph.FileSize})");
        if (ph.Offset > (ulong)length || ph.FileSize > (ulong)length - ph.Offset)
            throw new ElfLoadException($"{who}PT_INTERP extends past the end of the file ({length} bytes; truncated?)");
        var bytes = new byte[ph.FileSize];
        if (ReadAt(file, bytes, (long)ph.Offset) != bytes.Length)
            throw new ElfLoadException($"{who}PT_INTERP could not be read");
        if (bytes[^1] != 0) throw new ElfLoadException($"{who}PT_INTERP is not NUL-terminated");
        int nul = 0;
        while (bytes[nul] != 0) nul++; // not Array.IndexOf<byte>, which is JIT-compiled at start-up
        if (nul == 0) throw new ElfLoadException($"{who}PT_INTERP is empty");
        return Encoding.UTF8.GetString(bytes, 0, nul);
    }

    /// <summary>Reads up to buffer.Length bytes at <paramref name="offset"/>; returns how many were read.</summary>
    public static int ReadAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(file, buffer[total..], offset + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>"an x86-64", "a 32-bit ARM", ...: the machine with its article, for the wrong-machine message.</summary>
    internal static string MachineName(ushort machine, byte cls) => machine switch
    {
        0 => "a machine-independent (EM_NONE)",
        2 => "a SPARC",
        3 => "an x86 (i386)",
        8 => "a MIPS",
        20 => "a PowerPC",
        21 => "a PowerPC64",
        22 => "an s390",
        40 => "a 32-bit ARM",
        42 => "a SuperH",
        43 => "a SPARC64",
        50 => "an IA-64",
        62 => cls == 1 ? "an x32 (x86-64 ILP32)" : "an x86-64",
        183 => "an AArch64",
        243 => "a RISC-V",
        258 => "a LoongArch",
        _ => $"a machine {machine}",
    };
}
