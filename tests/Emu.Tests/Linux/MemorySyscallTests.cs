using Emu.Linux;
using Emu.Memory;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class MemorySyscallTests : IDisposable
{
    private const ulong ProtRw = 3, MapPrivateAnon = 0x22, MapFixed = 0x10, MapFixedNoReplace = 0x100000;
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void BrkGrowsAndShrinksTheHeap()
    {
        const ulong start = 0x40_0000;
        _h.Process.InitBrk(start);
        Assert.Equal((long)start, _h.Syscall(G.Brk, 0));
        Assert.Equal((long)(start + 0x5000), _h.Syscall(G.Brk, start + 0x5000));
        Assert.True(_h.Memory.IsAccessible(start, 0x5000, GuestProt.Read | GuestProt.Write));
        var heap = _h.Memory.FindRegion(start);
        Assert.Equal("[heap]", heap!.Name);
        _h.Memory.Write(start + 0x4ff8, 42UL);

        Assert.Equal((long)(start + 0x1000), _h.Syscall(G.Brk, start + 0x1000));
        Assert.Null(_h.Memory.FindRegion(start + 0x1000));
        Assert.NotNull(_h.Memory.FindRegion(start));
        // Below the start: refused, the break stays.
        Assert.Equal((long)(start + 0x1000), _h.Syscall(G.Brk, start - 0x1000));
    }

    [Fact]
    public void BrkDoesNotGrowOverAnotherMapping()
    {
        const ulong start = 0x40_0000;
        _h.Process.InitBrk(start);
        Assert.Equal(0, _h.Memory.MapFixed(start + 0x2000, 0x1000, GuestProt.Read, "other"));
        Assert.Equal((long)start, _h.Syscall(G.Brk, start + 0x3000));
        Assert.Equal("other", _h.Memory.FindRegion(start + 0x2000)!.Name);
    }

    [Fact]
    public void MmapMunmapMprotectUpdateRegions()
    {
        long a = _h.Syscall(G.Mmap, 0, 0x3000, ProtRw, MapPrivateAnon, ulong.MaxValue, 0);
        Assert.True(a > 0 && (a & 0xfff) == 0, $"mmap returned {a:x}");
        ulong addr = (ulong)a;
        Assert.True(_h.Memory.IsAccessible(addr, 0x3000, GuestProt.Read | GuestProt.Write));
        Assert.Equal(0UL, _h.Memory.Read<ulong>(addr + 0x2ff8));

        Assert.Equal(0, _h.Syscall(G.Mprotect, addr + 0x1000, 0x1000, 1 /* PROT_READ */));
        Assert.Equal(GuestProt.Read, _h.Memory.FindRegion(addr + 0x1000)!.Prot);
        Assert.Equal(GuestProt.Read | GuestProt.Write, _h.Memory.FindRegion(addr)!.Prot);

        Assert.Equal(0, _h.Syscall(G.Munmap, addr, 0x3000));
        Assert.Null(_h.Memory.FindRegion(addr));
        Assert.Null(_h.Memory.FindRegion(addr + 0x2000));
    }

    [Fact]
    public void MmapFixedAndNoReplace()
    {
        const ulong where = 0x2000_0000;
        Assert.Equal((long)where, _h.Syscall(G.Mmap, where, 0x2000, ProtRw, MapPrivateAnon | MapFixed, ulong.MaxValue, 0));
        _h.Memory.Write(where, 7UL);
        Assert.Equal(-Errno.EEXIST, _h.Syscall(G.Mmap, where + 0x1000, 0x1000, ProtRw, MapPrivateAnon | MapFixedNoReplace, ulong.MaxValue, 0));
        Assert.Equal(7UL, _h.Memory.Read<ulong>(where));
        // MAP_FIXED replaces: fresh zero pages.
        Assert.Equal((long)where, _h.Syscall(G.Mmap, where, 0x1000, ProtRw, MapPrivateAnon | MapFixed, ulong.MaxValue, 0));
        Assert.Equal(0UL, _h.Memory.Read<ulong>(where));
        // A free hint is used as given.
        Assert.Equal(0x3000_0000L, _h.Syscall(G.Mmap, 0x3000_0000, 0x1000, ProtRw, MapPrivateAnon, ulong.MaxValue, 0));
    }

    [Fact]
    public void MmapRejectsBadArguments()
    {
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Mmap, 0, 0, ProtRw, MapPrivateAnon, ulong.MaxValue, 0));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Mmap, 0x2000_0001, 0x1000, ProtRw, MapPrivateAnon | MapFixed, ulong.MaxValue, 0));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Mmap, 0, 0x1000, ProtRw, 0x20 /* neither shared nor private */, ulong.MaxValue, 0));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Munmap, 0x2000_0001, 0x1000));
    }

    [Fact]
    public void MmapOfAFileShowsItsContents()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "file-backed");
            _h.WriteString(GuestHarness.Scratch, file);
            long fd = _h.Syscall(G.Openat, -100, (long)GuestHarness.Scratch, 0, 0);
            Assert.True(fd >= 0);
            long a = _h.Syscall(G.Mmap, 0, 0x1000, 1, 0x02 /* MAP_PRIVATE */, (ulong)fd, 0);
            Assert.True(a > 0);
            Assert.Equal("file-backed", _h.ReadString((ulong)a, 11));
            Assert.Equal(file, _h.Memory.FindRegion((ulong)a)!.Name);
            _h.Syscall(G.Close, (ulong)fd);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MremapShrinksGrowsAndMoves()
    {
        const ulong where = 0x2000_0000;
        Assert.Equal((long)where, _h.Syscall(G.Mmap, where, 0x2000, ProtRw, MapPrivateAnon | MapFixed, ulong.MaxValue, 0));
        _h.Memory.Write(where + 8, 0x1234UL);
        // Grow in place (the next pages are free).
        Assert.Equal((long)where, _h.Syscall(G.Mremap, where, 0x2000, 0x4000, 0, 0));
        Assert.True(_h.Memory.IsAccessible(where, 0x4000, GuestProt.Write));
        // Block growth in place, then move.
        Assert.Equal(0, _h.Memory.MapFixed(where + 0x4000, 0x1000, GuestProt.Read, "blocker"));
        Assert.Equal(-Errno.ENOMEM, _h.Syscall(G.Mremap, where, 0x4000, 0x8000, 0, 0));
        long moved = _h.Syscall(G.Mremap, where, 0x4000, 0x8000, 1 /* MREMAP_MAYMOVE */, 0);
        Assert.True(moved > 0 && (ulong)moved != where, $"mremap returned {moved:x}");
        Assert.Equal(0x1234UL, _h.Memory.Read<ulong>((ulong)moved + 8));
        Assert.True(_h.Memory.IsAccessible((ulong)moved, 0x8000, GuestProt.Read | GuestProt.Write));
        Assert.Null(_h.Memory.FindRegion(where));
        // Shrink.
        Assert.Equal(moved, _h.Syscall(G.Mremap, (ulong)moved, 0x8000, 0x1000, 0, 0));
        Assert.Null(_h.Memory.FindRegion((ulong)moved + 0x1000));
    }

    [Fact]
    public void MadviseDontneedZeroesAnonymousPages()
    {
        long a = _h.Syscall(G.Mmap, 0, 0x2000, ProtRw, MapPrivateAnon, ulong.MaxValue, 0);
        _h.Memory.Write((ulong)a + 0x1000, 99UL);
        Assert.Equal(0, _h.Syscall(G.Madvise, (ulong)a, 0x2000, 4 /* MADV_DONTNEED */));
        Assert.Equal(0UL, _h.Memory.Read<ulong>((ulong)a + 0x1000));
        Assert.Equal(-Errno.ENOMEM, _h.Syscall(G.Madvise, 0x7000_0000, 0x1000, 4));
    }
}
