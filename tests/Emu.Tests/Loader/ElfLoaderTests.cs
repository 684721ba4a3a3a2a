using System.Text;
using Emu.Loader;
using Emu.Memory;

namespace Emu.Tests.Loader;

public sealed class ElfLoaderTests : IDisposable
{
    private const ulong AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
        AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
        AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31, AT_MINSIGSTKSZ = 51;

    private readonly TempDir _dir = new();
    private readonly GuestMemory _mem = new();

    public void Dispose()
    {
        _mem.Dispose();
        _dir.Dispose();
    }

    private LoadedProgram Load(TestElf elf, string[]? argv = null, string[]? env = null, LoaderOptions? options = null)
    {
        string path = elf.WriteTo(_dir.Path);
        return ElfLoader.Load(_mem, path, argv ?? [path], env ?? [], options ?? new LoaderOptions());
    }

    private GuestRegion RegionAt(ulong address) => _mem.FindRegion(address) ?? throw new Xunit.Sdk.XunitException($"nothing mapped at 0x{address:x}");

    /// <summary>The initial stack read back: argc, argv and envp strings, and auxv entries.</summary>
    private sealed record StackImage(ulong Argc, List<string> Argv, List<string> Envp, List<(ulong Type, ulong Value)> Auxv)
    {
        public ulong Aux(ulong type) => Auxv.Single(a => a.Type == type).Value;
    }

    private StackImage ReadStack(ulong sp)
    {
        ulong argc = _mem.Read<ulong>(sp);
        ulong p = sp + 8;
        var argv = new List<string>();
        for (ulong i = 0; i < argc; i++, p += 8) argv.Add(_mem.ReadCString(_mem.Read<ulong>(p))!);
        Assert.Equal(0UL, _mem.Read<ulong>(p));
        p += 8;
        var envp = new List<string>();
        for (; _mem.Read<ulong>(p) != 0; p += 8) envp.Add(_mem.ReadCString(_mem.Read<ulong>(p))!);
        p += 8;
        var auxv = new List<(ulong, ulong)>();
        for (int i = 0; i < 64; i++, p += 16)
        {
            ulong type = _mem.Read<ulong>(p), value = _mem.Read<ulong>(p + 8);
            auxv.Add((type, value));
            if (type == AT_NULL) break;
        }
        return new StackImage(argc, argv, envp, auxv);
    }

    [Fact]
    public void StaticExecutable_SegmentsMappedWithTheirProtections()
    {
        var image = Load(TestElf.Static());

        var text = RegionAt(0x400000);
        Assert.Equal(0x400000UL, text.Start);
        Assert.Equal(GuestProt.Read | GuestProt.Exec, text.Prot);
        Assert.Equal(0x401000UL, text.End);
        var data = RegionAt(0x411000);
        Assert.Equal(GuestProt.Read | GuestProt.Write, data.Prot);
        // bss runs to 0x413800, so the mapping reaches the end of that page.
        Assert.Equal(GuestProt.Read | GuestProt.Write, RegionAt(0x413000).Prot);
        Assert.Null(_mem.FindRegion(0x414000));
        Assert.Null(_mem.FindRegion(0x401000));
        Assert.Equal(0x400100UL, image.EntryPoint);
        Assert.Equal(0x414000UL, image.BrkStart);
        Assert.Equal(0UL, image.LoadBias);
        Assert.Null(image.InterpreterPath);
    }

    [Fact]
    public void StaticExecutable_FileBytesCopiedAndBssZeroed()
    {
        Load(TestElf.Static());

        // The text segment starts at file offset 0: the ELF header is visible in memory.
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, _mem.GetSpan(0x400000, 4).ToArray());
        Assert.Equal(0xC0, _mem.Read<byte>(0x400100));
        Assert.Equal(0xCF, _mem.Read<byte>(0x40010F));
        for (int i = 0; i < 0x20; i++) Assert.Equal((byte)(i + 1), _mem.Read<byte>(0x411000 + (ulong)i));
        // The file holds 0xAA after the data; the bss (rest of that page and the next pages) must read 0.
        Assert.True(_mem.IsAccessible(0x411020, 0x414000 - 0x411020, GuestProt.Read));
        Assert.True(_mem.GetSpan(0x411020, 0x414000 - 0x411020).ToArray().All(b => b == 0));
    }

    [Fact]
    public void InitialStack_ArgvEnvpAndAuxvAsLinuxBuildsThem()
    {
        var elf = TestElf.Static();
        string path = elf.WriteTo(_dir.Path);
        var image = ElfLoader.Load(_mem, path, ["prog", "a b", ""], ["X=1", "LONG=" + new string('y', 300)], new LoaderOptions());

        Assert.Equal(0UL, image.InitialSp % 16);
        var stack = ReadStack(image.InitialSp);
        Assert.Equal(3UL, stack.Argc);
        Assert.Equal(["prog", "a b", ""], stack.Argv);
        Assert.Equal(["X=1", "LONG=" + new string('y', 300)], stack.Envp);
        Assert.Equal(AT_NULL, stack.Auxv[^1].Type);

        Assert.Equal(0x400040UL, stack.Aux(AT_PHDR)); // e_phoff 64 inside the segment at file offset 0
        Assert.Equal(56UL, stack.Aux(AT_PHENT));
        Assert.Equal(3UL, stack.Aux(AT_PHNUM));
        Assert.Equal(4096UL, stack.Aux(AT_PAGESZ));
        Assert.Equal(0UL, stack.Aux(AT_BASE));
        Assert.Equal(0UL, stack.Aux(AT_FLAGS));
        Assert.Equal(0x400100UL, stack.Aux(AT_ENTRY));
        Assert.Equal(0UL, stack.Aux(AT_SECURE));
        Assert.Equal(100UL, stack.Aux(AT_CLKTCK));
        Assert.Equal(HwCaps.DefaultHwCap, stack.Aux(AT_HWCAP));
        Assert.Equal(HwCaps.DefaultHwCap2, stack.Aux(AT_HWCAP2));
        Assert.Equal(5120UL, stack.Aux(AT_MINSIGSTKSZ));
        Assert.Equal("aarch64", _mem.ReadCString(stack.Aux(AT_PLATFORM)));
        Assert.Equal(path, _mem.ReadCString(stack.Aux(AT_EXECFN)));

        var (uid, euid, gid, egid) = HostIds();
        Assert.Equal(uid, stack.Aux(AT_UID));
        Assert.Equal(euid, stack.Aux(AT_EUID));
        Assert.Equal(gid, stack.Aux(AT_GID));
        Assert.Equal(egid, stack.Aux(AT_EGID));

        // The table at AT_PHDR is the file's program header table.
        var phdrs = File.ReadAllBytes(path).AsSpan(64, 3 * 56).ToArray();
        Assert.Equal(phdrs, _mem.GetSpan(stack.Aux(AT_PHDR), 3 * 56).ToArray());

        // AT_RANDOM: 16 readable bytes on the stack, above the tables.
        ulong random = stack.Aux(AT_RANDOM);
        Assert.True(_mem.IsAccessible(random, 16, GuestProt.Read | GuestProt.Write));
        Assert.True(random > image.InitialSp && random + 16 <= GuestLayout.StackTop);
    }

    [Fact]
    public void InitialStack_StringsAtTheTopInLinuxOrder()
    {
        string path = TestElf.Static().WriteTo(_dir.Path);
        var image = ElfLoader.Load(_mem, path, ["p0", "p1"], ["E0=0"], new LoaderOptions());
        var stack = ReadStack(image.InitialSp);
        ulong argv0 = _mem.Read<ulong>(image.InitialSp + 8);
        ulong env0 = _mem.Read<ulong>(image.InitialSp + 8 * 4);
        ulong execfn = stack.Aux(AT_EXECFN);
        // argv strings, then envp strings, then the file name, then one NULL word at the very top.
        Assert.Equal(argv0 + 6, env0);
        Assert.Equal(env0 + 5, execfn);
        Assert.Equal(GuestLayout.StackTop - 8, execfn + (ulong)Encoding.UTF8.GetByteCount(path) + 1);
        Assert.Equal(0UL, _mem.Read<ulong>(GuestLayout.StackTop - 8));
        Assert.True(stack.Aux(AT_PLATFORM) < argv0);
        Assert.True(stack.Aux(AT_RANDOM) < stack.Aux(AT_PLATFORM));
    }

    private static (ulong Uid, ulong Euid, ulong Gid, ulong Egid) HostIds()
    {
        // /proc/self/status: "Uid:\treal\teffective\tsaved\tfs".
        var lines = File.ReadAllLines("/proc/self/status");
        ulong[] Ids(string key) => lines.First(l => l.StartsWith(key)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..].Select(ulong.Parse).ToArray();
        var u = Ids("Uid:");
        var g = Ids("Gid:");
        return (u[0], u[1], g[0], g[1]);
    }

    [Fact]
    public void Stack_MappedBelowStackTopWithTheRequestedSize()
    {
        var image = Load(TestElf.Static(), options: new LoaderOptions { StackSize = 1 << 20 });
        var stack = RegionAt(GuestLayout.StackTop - 1);
        Assert.Equal(GuestLayout.StackTop, stack.End);
        Assert.Equal(GuestLayout.StackTop - (1 << 20), stack.Start);
        Assert.Equal(GuestProt.Read | GuestProt.Write, stack.Prot);
        Assert.True(image.InitialSp > stack.Start && image.InitialSp < stack.End);
    }

    [Fact]
    public void Stack_ExecutableWhenGnuStackSaysSo()
    {
        var elf = TestElf.Static();
        elf.Segments[2] = new TestSegment(TestElf.PT_GNU_STACK, TestElf.PF_R | TestElf.PF_W | TestElf.PF_X, 0, 0, 0, 0, 16);
        var image = Load(elf);
        Assert.Equal(GuestProt.Read | GuestProt.Write | GuestProt.Exec, RegionAt(GuestLayout.StackTop - 1).Prot);
        Assert.True(image.ExecutableStack);
    }

    [Fact]
    public void Stack_NotExecutableWithoutGnuStack()
    {
        var elf = TestElf.Static();
        elf.Segments.RemoveAt(2);
        Load(elf);
        Assert.Equal(GuestProt.Read | GuestProt.Write, RegionAt(GuestLayout.StackTop - 1).Prot);
    }

    [Fact]
    public void RandomBytes_ReproducibleWithASeed()
    {
        byte[] RandomWith(ulong? seed)
        {
            using var mem = new GuestMemory();
            string path = TestElf.Static().WriteTo(_dir.Path);
            var image = ElfLoader.Load(mem, path, ["p"], [], new LoaderOptions { RandomSeed = seed });
            ulong p = image.Auxv.Single(a => a.Key == AT_RANDOM).Value;
            return mem.GetSpan(p, 16).ToArray();
        }
        Assert.Equal(RandomWith(42), RandomWith(42));
        Assert.NotEqual(RandomWith(42), RandomWith(43));
        Assert.NotEqual(RandomWith(null), RandomWith(null));
    }

    [Fact]
    public void HwCapOptionsAppearInAuxv()
    {
        var image = Load(TestElf.Static(), options: new LoaderOptions { HwCap = 0x1234, HwCap2 = 0x20 });
        var stack = ReadStack(image.InitialSp);
        Assert.Equal(0x1234UL, stack.Aux(AT_HWCAP));
        Assert.Equal(0x20UL, stack.Aux(AT_HWCAP2));
        Assert.Equal(3UL, HwCaps.DefaultHwCap & 3); // FP and ASIMD at least
        Assert.Equal(1UL << 8, HwCaps.HWCAP_ATOMICS);
        Assert.Equal(1UL << 31, HwCaps.HWCAP_PACG);
    }

    [Fact]
    public void PositionIndependentExecutable_LoadedAtPieBase()
    {
        var elf = new TestElf { Type = 3, Entry = 0x150 };
        elf.Segments.Add(new TestSegment(TestElf.PT_PHDR, TestElf.PF_R, 64, 64, 3 * 56, 3 * 56, 8));
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_X, 0, 0, 0x200, 0x200, 0x10000));
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_W, 0x1000, 0x11000, 0x20, 0x40, 0x10000));
        var image = Load(elf);
        Assert.Equal(GuestLayout.PieBase, image.LoadBias);
        Assert.Equal(GuestLayout.PieBase + 0x150, image.EntryPoint);
        Assert.Equal(GuestProt.Read | GuestProt.Exec, RegionAt(GuestLayout.PieBase).Prot);
        Assert.Equal(GuestProt.Read | GuestProt.Write, RegionAt(GuestLayout.PieBase + 0x11000).Prot);
        Assert.Equal(GuestLayout.PieBase + 0x12000, image.BrkStart);
        var stack = ReadStack(image.InitialSp);
        Assert.Equal(GuestLayout.PieBase + 64, stack.Aux(AT_PHDR));
        Assert.Equal(GuestLayout.PieBase + 0x150, stack.Aux(AT_ENTRY));
    }

    [Fact]
    public void ProgramHeadersOutsideEverySegment_CopiedForAtPhdr()
    {
        var elf = TestElf.Static();
        // Put the table in a part of the file no PT_LOAD maps.
        elf.PhOff = 0x1800;
        var image = Load(elf);
        var stack = ReadStack(image.InitialSp);
        ulong phdr = stack.Aux(AT_PHDR);
        Assert.NotEqual(0UL, phdr);
        var table = File.ReadAllBytes(Path.Combine(_dir.Path, "prog")).AsSpan(0x1800, 3 * 56).ToArray();
        Assert.Equal(table, _mem.GetSpan(phdr, 3 * 56).ToArray());
    }

    [Fact]
    public void SegmentsSharingAPage_GetBothProtectionsAndBothContents()
    {
        var elf = new TestElf { Entry = 0x400100 };
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_X, 0, 0x400000, 0x800, 0x800));
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_W, 0x800, 0x400800, 0x10, 0x1000));
        elf.Body[0x7ff] = 0x11;
        elf.Body[0x800] = 0x22;
        elf.Body[0x810] = 0x33; // past the second segment's file size: bss must read 0
        Load(elf);
        Assert.Equal(GuestProt.Read | GuestProt.Write | GuestProt.Exec, RegionAt(0x400000).Prot);
        Assert.Equal(GuestProt.Read | GuestProt.Write, RegionAt(0x401000).Prot);
        Assert.Equal(0x11, _mem.Read<byte>(0x4007ff));
        Assert.Equal(0x22, _mem.Read<byte>(0x400800));
        Assert.Equal(0, _mem.Read<byte>(0x400810));
    }

    [Fact]
    public void ThreeSegmentsInOnePage_GetTheUnionOfAllThree()
    {
        var elf = new TestElf { Entry = 0x400100 };
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_X, 0, 0x400000, 0x200, 0x200));
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R, 0x400, 0x400400, 0x100, 0x100));
        elf.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_W, 0x800, 0x400800, 0x100, 0x100));
        Load(elf);
        var page = RegionAt(0x400000);
        Assert.Equal(GuestProt.Read | GuestProt.Write | GuestProt.Exec, page.Prot);
        Assert.Equal(0x401000UL, page.End);
    }

    [Fact]
    public void Interpreter_LoadedFromSysRootAndEntersThere()
    {
        var interp = new TestElf { Type = 3, Entry = 0x180 };
        interp.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_X, 0, 0, 0x200, 0x200, 0x10000));
        interp.Segments.Add(new TestSegment(TestElf.PT_LOAD, TestElf.PF_R | TestElf.PF_W, 0x1000, 0x11000, 0x10, 0x100, 0x10000));
        string sysroot = Path.Combine(_dir.Path, "sysroot");
        string interpFile = interp.WriteTo(sysroot, "lib/ld-test.so.1");

        var elf = TestElf.Static();
        elf.Segments.Add(new TestSegment(TestElf.PT_INTERP, TestElf.PF_R, 0x1f00, 0x401f00, 18, 18, 1));
        elf.Put(0x1f00, "/lib/ld-test.so.1\0"u8);
        var image = Load(elf, options: new LoaderOptions { SysRoot = sysroot + "/" });

        Assert.Equal(interpFile, image.InterpreterPath);
        Assert.NotEqual(0UL, image.InterpreterBase);
        Assert.Equal(0UL, image.InterpreterBase % 0x10000);
        Assert.True(image.InterpreterBase < GuestLayout.MmapTop);
        Assert.Equal(image.InterpreterBase + 0x180, image.EntryPoint);
        Assert.Equal(GuestProt.Read | GuestProt.Exec, RegionAt(image.InterpreterBase).Prot);
        Assert.Equal(GuestProt.Read | GuestProt.Write, RegionAt(image.InterpreterBase + 0x11000).Prot);
        var stack = ReadStack(image.InitialSp);
        Assert.Equal(image.InterpreterBase, stack.Aux(AT_BASE));
        Assert.Equal(0x400100UL, stack.Aux(AT_ENTRY));
        // The break follows the main program, not the interpreter.
        Assert.Equal(0x414000UL, image.BrkStart);
    }

    [Fact]
    public void Interpreter_MissingNamesThePathAndSuggestsMinusL()
    {
        var elf = TestElf.Static();
        elf.Segments.Add(new TestSegment(TestElf.PT_INTERP, TestElf.PF_R, 0x1f00, 0x401f00, 20, 20, 1));
        elf.Put(0x1f00, "/lib/ld-missing.so\0\0"u8);
        string sysroot = Path.Combine(_dir.Path, "nothing-here");
        var e = Assert.Throws<ElfLoadException>(() => Load(elf, options: new LoaderOptions { SysRoot = sysroot }));
        Assert.Contains(sysroot + "/lib/ld-missing.so", e.Message);
        Assert.Contains("-L", e.Message);
        Assert.Equal(127, e.ExitStatus);
    }

    [Fact]
    public void Interpreter_NotNulTerminatedIsRejected()
    {
        var elf = TestElf.Static();
        elf.Segments.Add(new TestSegment(TestElf.PT_INTERP, TestElf.PF_R, 0x1f00, 0x401f00, 8, 8, 1));
        elf.Put(0x1f00, "/lib/ldX"u8);
        var e = Assert.Throws<ElfLoadException>(() => Load(elf));
        Assert.Contains("PT_INTERP", e.Message);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "bad-magic", "not an ELF" },
        { "script", "script" },
        { "truncated-header", "truncated ELF header" },
        { "class32", "32-bit" },
        { "big-endian", "big-endian" },
        { "x86-64", "is an x86-64 ELF, not AArch64" },
        { "riscv", "is a RISC-V ELF, not AArch64" },
        { "et-rel", "ET_REL" },
        { "et-core", "ET_CORE" },
        { "phentsize", "program header entry size" },
        { "no-phdrs", "no program headers" },
        { "phdrs-out-of-file", "program header table" },
        { "load-past-eof", "past the end of the file" },
        { "filesz-gt-memsz", "larger than its memory size" },
        { "outside-guest", "outside the" },
        { "unaligned", "modulo the page size" },
        { "overlap", "overlap" },
        { "no-load", "no loadable (PT_LOAD) segments" },
        { "below-min-addr", "below the lowest mappable address" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedFile_RejectedWithTheProblemNamed(string kind, string expected)
    {
        var elf = TestElf.Static();
        byte[]? raw = null;
        switch (kind)
        {
            case "bad-magic": raw = "\u007fELG and more bytes to fill a header.............................."u8.ToArray(); break;
            case "script": raw = "#!/bin/sh\necho hi\n"u8.ToArray(); break;
            case "truncated-header": elf.TruncateTo = 40; break;
            case "class32": elf.Class = 1; break;
            case "big-endian": elf.Data = 2; break;
            case "x86-64": elf.Machine = 62; break;
            case "riscv": elf.Machine = 243; break;
            case "et-rel": elf.Type = 1; break;
            case "et-core": elf.Type = 4; break;
            case "phentsize": elf.PhEntSize = 32; break;
            case "no-phdrs": elf.PhNumOverride = 0; break;
            case "phdrs-out-of-file": elf.PhOff = 0x1f80; break;
            case "load-past-eof": elf.Segments[1] = elf.Segments[1] with { FileSize = 0x2000 }; break;
            case "filesz-gt-memsz": elf.Segments[1] = elf.Segments[1] with { MemSize = 0x10 }; break;
            case "outside-guest": elf.Segments[1] = elf.Segments[1] with { VAddr = 0x100_0000_1000 }; break;
            case "unaligned": elf.Segments[1] = elf.Segments[1] with { VAddr = 0x411800 }; break;
            case "overlap": elf.Segments[1] = elf.Segments[1] with { VAddr = 0x400000 }; break;
            case "no-load": elf.Segments.RemoveRange(0, 2); break;
            case "below-min-addr":
                elf.Segments[0] = elf.Segments[0] with { VAddr = 0x1000 };
                elf.Segments[1] = elf.Segments[1] with { VAddr = 0x2000 };
                break;
        }
        string path = Path.Combine(_dir.Path, "bad");
        File.WriteAllBytes(path, raw ?? elf.ToBytes());
        var e = Assert.Throws<ElfLoadException>(() => ElfLoader.Load(_mem, path, ["bad"], [], new LoaderOptions()));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(126, e.ExitStatus);
        // All header checks run before anything is mapped.
        Assert.Empty(_mem.Regions);
    }

    [Fact]
    public void HostX86Executable_RejectedNamingTheMachine()
    {
        const string hostBinary = "/bin/true";
        Assert.True(File.Exists(hostBinary), "the test needs the host's /bin/true");
        var e = Assert.Throws<ElfLoadException>(() => ElfLoader.Load(_mem, hostBinary, ["true"], [], new LoaderOptions()));
        Assert.Contains("x86-64", e.Message);
        Assert.Contains("not AArch64", e.Message);
    }

    [Fact]
    public void MissingFile_Status127()
    {
        var e = Assert.Throws<ElfLoadException>(() => ElfLoader.Load(_mem, Path.Combine(_dir.Path, "nope"), ["nope"], [], new LoaderOptions()));
        Assert.Equal(127, e.ExitStatus);
    }
}
