using Emu.Linux.Native;
using Emu.Memory;

namespace Emu.Tests.Memory;

/// <summary>
/// RuntimePages.Release drops resident pages of read-only file mappings and nothing else: the bytes read the
/// same afterwards, and a page the process changed (a private copy) keeps its change.
/// </summary>
public sealed unsafe class RuntimePagesTests : IDisposable
{
    private const int Pages = 64;
    private const int PageSize = 4096;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"emu-runtimepages-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly List<(nint Address, nuint Length)> _mappings = [];

    public RuntimePagesTests()
    {
        var bytes = new byte[Pages * PageSize];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 7 + i / PageSize);
        File.WriteAllBytes(_path, bytes);
    }

    public void Dispose()
    {
        foreach (var (address, length) in _mappings) LibC.Munmap(address, length);
        File.Delete(_path);
    }

    private static byte Expected(int i) => (byte)(i * 7 + i / PageSize);

    private byte* Map(int prot)
    {
        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite);
        nint p = LibC.Mmap(0, Pages * PageSize, prot, LibC.MAP_PRIVATE, (int)file.DangerousGetHandle(), 0);
        Assert.NotEqual(LibC.MAP_FAILED, p);
        _mappings.Add((p, Pages * PageSize));
        return (byte*)p;
    }

    private static ResidentMemory.Mapping Find(byte* p) =>
        ResidentMemory.Mappings().Single(m => m.Start == (ulong)p);

    private static void ReadAll(byte* p)
    {
        int sum = 0;
        for (int page = 0; page < Pages; page++) sum += p[page * PageSize];
        GC.KeepAlive(sum);
    }

    [Fact]
    public void ReadOnlyFilePagesLeaveTheResidentSetAndReadTheSame()
    {
        byte* p = Map(LibC.PROT_READ);
        ReadAll(p);
        Assert.Equal(Pages * PageSize / 1024, Find(p).RssKb);

        long released = RuntimePages.Release((ulong)p, (ulong)p + Pages * PageSize);

        Assert.Equal(Pages * PageSize / 1024, released);
        Assert.Equal(0, Find(p).RssKb);
        for (int i = 0; i < Pages * PageSize; i += 997) Assert.Equal(Expected(i), p[i]);
    }

    [Fact]
    public void MappingsWithPrivateCopiesOrWritableOnesKeepTheirPages()
    {
        // Written then made read-only (as relocated data is): the written page is a private copy.
        byte* relocated = Map(LibC.PROT_READ | LibC.PROT_WRITE);
        ReadAll(relocated);
        relocated[5 * PageSize + 3] = 0xee;
        Assert.Equal(0, LibC.Mprotect((nint)relocated, Pages * PageSize, LibC.PROT_READ));
        Assert.True(Find(relocated).AnonymousKb > 0);
        // Writable and not written yet: could be written at any time.
        byte* writable = Map(LibC.PROT_READ | LibC.PROT_WRITE);
        ReadAll(writable);
        long relocatedRss = Find(relocated).RssKb, writableRss = Find(writable).RssKb;

        Assert.Equal(0, RuntimePages.Release((ulong)relocated, (ulong)relocated + Pages * PageSize));
        Assert.Equal(0, RuntimePages.Release((ulong)writable, (ulong)writable + Pages * PageSize));

        Assert.Equal(0xee, relocated[5 * PageSize + 3]);
        Assert.Equal(relocatedRss, Find(relocated).RssKb);
        Assert.Equal(writableRss, Find(writable).RssKb);
        for (int i = 0; i < Pages * PageSize; i += 997)
            if (i != 5 * PageSize + 3) Assert.Equal(Expected(i), relocated[i]);
    }
}
