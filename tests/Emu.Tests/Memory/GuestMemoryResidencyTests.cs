using Emu.Loader;
using Emu.Memory;
using Emu.Tests.Conformance;

namespace Emu.Tests.Memory;

/// <summary>
/// Guest memory costs host memory only while it is mapped and touched: unmapping returns the pages, and a
/// loaded program's file pages stay file-backed (shared page cache) until written.
/// </summary>
public sealed unsafe class GuestMemoryResidencyTests
{
    private const ulong MiB = 1 << 20;

    private static long GuestResidentKb(GuestMemory memory) =>
        ResidentMemory.ResidentKb((ulong)memory.Base, (ulong)memory.Base + memory.Size);

    [Fact]
    public void MappingAndUnmappingAGigabyteRepeatedlyKeepsResidentMemoryBounded()
    {
        using var memory = new GuestMemory(36);
        const ulong Address = 0x1000_0000, Length = 64 * MiB;
        long peakKb = 0;
        // 16 rounds of 64 MiB: a gigabyte mapped, written and unmapped in all.
        for (int round = 0; round < 16; round++)
        {
            Assert.Equal(0, memory.MapFixed(Address, Length, GuestProt.Read | GuestProt.Write, "test"));
            for (ulong page = 0; page < Length; page += GuestMemory.PageSize) memory.Base[Address + page] = (byte)(round + 1);
            peakKb = Math.Max(peakKb, GuestResidentKb(memory));
            Assert.Equal(0, memory.Unmap(Address, Length));
            Assert.True(GuestResidentKb(memory) < 1024, $"round {round}: {GuestResidentKb(memory)} KB still resident after munmap");
        }
        // Each round's pages were resident while mapped (so the reading above sees guest memory at all).
        Assert.InRange(peakKb, (long)(Length / 1024) - 1024, (long)(Length / 1024) + 1024);
    }

    [Fact]
    public void UnmappedPagesReadAsZeroWhenMappedAgain()
    {
        using var memory = new GuestMemory(36);
        const ulong Address = 0x2000_0000, Length = 4 * MiB;
        Assert.Equal(0, memory.MapFixed(Address, Length, GuestProt.Read | GuestProt.Write, "test"));
        memory.Write<ulong>(Address + 8192, 0x1122334455667788);
        Assert.Equal(0, memory.Unmap(Address, Length));
        Assert.Equal(0, memory.MapFixed(Address, Length, GuestProt.Read | GuestProt.Write, "test"));
        Assert.Equal(0UL, memory.Read<ulong>(Address + 8192));
    }

    [Fact]
    public void LoadedProgramTextIsFileBackedAndNotResidentUntilRun()
    {
        string program = Path.Combine(RepoLayout.Root, "testbins", "prebuilt", "hello");
        using var memory = new GuestMemory();
        var loaded = ElfLoader.Load(memory, program, [program], [], new LoaderOptions());
        ulong textStart = (ulong)memory.Base + GuestMemory.PageAlignDown(loaded.ImageStart);
        var text = ResidentMemory.Mappings().Single(m => m.Start <= textStart && textStart < m.End);
        // The executable's own pages: named after the file, none copied into private memory, and only the pages
        // something touched resident (the loader reads the headers from the file, not through the mapping).
        Assert.Equal(Path.GetFullPath(program), text.Name);
        Assert.Equal(0, text.AnonymousKb);
        long sizeKb = (long)(text.End - text.Start) / 1024;
        Assert.True(sizeKb >= 256, $"text mapping of {sizeKb} KB is too small for this test");
        Assert.True(text.RssKb < sizeKb / 2, $"{text.RssKb} of {sizeKb} KB of text resident right after loading");
        // The first word is the ELF magic: the mapping holds the file's bytes.
        Assert.Equal(0x464c457fu, memory.Read<uint>(GuestMemory.PageAlignDown(loaded.ImageStart)));
    }
}
