using Emu.Linux.Abi;

namespace Emu.Tests.Linux;

public class OpenFlagsTests
{
    [Theory]
    [InlineData(0x4000, 0x10000)] // O_DIRECTORY
    [InlineData(0x8000, 0x20000)] // O_NOFOLLOW
    [InlineData(0x10000, 0x4000)] // O_DIRECT
    [InlineData(0x20000, 0x8000)] // O_LARGEFILE
    [InlineData(0x80000 | 0x40 | 0x2, 0x80000 | 0x40 | 0x2)] // O_CLOEXEC | O_CREAT | O_RDWR: the same
    [InlineData(0x400000 | 0x4000, 0x400000 | 0x10000)] // O_TMPFILE = __O_TMPFILE | O_DIRECTORY
    public void TranslatesEachDifferingBit(int guest, int host)
    {
        Assert.Equal(host, OpenFlags.GuestToHost(guest));
        Assert.Equal(guest, OpenFlags.HostToGuest(host));
    }

    [Fact]
    public void RoundTripsEveryCombination()
    {
        int[] bits = [0x4000, 0x8000, 0x10000, 0x20000, 0x800, 0x400, 0x80000, 0x200000, 0x1, 0x2];
        for (int mask = 0; mask < 1 << bits.Length; mask++)
        {
            int flags = 0;
            for (int i = 0; i < bits.Length; i++)
                if ((mask & (1 << i)) != 0) flags |= bits[i];
            Assert.Equal(flags, OpenFlags.HostToGuest(OpenFlags.GuestToHost(flags)));
            Assert.Equal(flags, OpenFlags.GuestToHost(OpenFlags.HostToGuest(flags)));
        }
    }
}
