using System.Runtime.InteropServices;
using Emu.Linux.Abi;

namespace Emu.Tests.Syscalls;

// Offsets from offsetof(struct semid_ds, ...) under aarch64-linux-gnu-gcc (88 bytes) and the host gcc (104).
public unsafe class SemidLayoutTests
{
    [Fact]
    public void GuestSemidDsHasTheAarch64Layout()
    {
        Assert.Equal(88, sizeof(GuestSemidDs));
        Assert.Equal(48, (int)Marshal.OffsetOf<GuestSemidDs>(nameof(GuestSemidDs.Otime)));
        Assert.Equal(56, (int)Marshal.OffsetOf<GuestSemidDs>(nameof(GuestSemidDs.Ctime)));
        Assert.Equal(64, (int)Marshal.OffsetOf<GuestSemidDs>(nameof(GuestSemidDs.Nsems)));
    }

    [Fact]
    public void HostSemidDsHasTheX8664Layout()
    {
        Assert.Equal(104, sizeof(HostSemidDs));
        Assert.Equal(48, (int)Marshal.OffsetOf<HostSemidDs>(nameof(HostSemidDs.Otime)));
        Assert.Equal(64, (int)Marshal.OffsetOf<HostSemidDs>(nameof(HostSemidDs.Ctime)));
        Assert.Equal(80, (int)Marshal.OffsetOf<HostSemidDs>(nameof(HostSemidDs.Nsems)));
    }

    [Fact]
    public void ConverterMovesEveryFieldBothWays()
    {
        var h = new HostSemidDs { Otime = 0x1111, Unused1 = 0xdead, Ctime = 0x2222, Unused2 = 0xbeef, Nsems = 7 };
        for (int i = 0; i < 48; i++) h.Perm[i] = (byte)(i + 1);
        var g = SemidConverter.ToGuest(h);
        Assert.Equal(0x1111, g.Otime);
        Assert.Equal(0x2222, g.Ctime);
        Assert.Equal(7UL, g.Nsems);
        for (int i = 0; i < 48; i++) Assert.Equal((byte)(i + 1), g.Perm[i]);
        // The guest bytes at the host's padding offsets hold ctime and nsems, not the padding.
        byte* raw = (byte*)&g;
        Assert.Equal(0x2222, *(long*)(raw + 56));
        Assert.Equal(7UL, *(ulong*)(raw + 64));

        var back = SemidConverter.ToHost(g);
        Assert.Equal(0x1111, back.Otime);
        Assert.Equal(0x2222, back.Ctime);
        Assert.Equal(7UL, back.Nsems);
        Assert.Equal(0UL, back.Unused1);
        for (int i = 0; i < 48; i++) Assert.Equal((byte)(i + 1), back.Perm[i]);
    }
}
