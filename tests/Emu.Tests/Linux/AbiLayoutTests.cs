using System.Runtime.InteropServices;
using Emu.Linux.Abi;

namespace Emu.Tests.Linux;

// Expected offsets come from offsetof() in programs built with aarch64-linux-gnu-gcc and the host gcc.
public unsafe class AbiLayoutTests
{
    [Fact]
    public void GuestStatHasTheAarch64Layout()
    {
        Assert.Equal(128, sizeof(GuestStat));
        Assert.Equal(0, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Dev)));
        Assert.Equal(8, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Ino)));
        Assert.Equal(16, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Mode)));
        Assert.Equal(20, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Nlink)));
        Assert.Equal(24, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Uid)));
        Assert.Equal(28, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Gid)));
        Assert.Equal(32, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Rdev)));
        Assert.Equal(48, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Size)));
        Assert.Equal(56, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Blksize)));
        Assert.Equal(64, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Blocks)));
        Assert.Equal(72, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Atime)));
        Assert.Equal(80, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.AtimeNsec)));
        Assert.Equal(88, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Mtime)));
        Assert.Equal(104, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.Ctime)));
        Assert.Equal(112, (int)Marshal.OffsetOf<GuestStat>(nameof(GuestStat.CtimeNsec)));
    }

    [Fact]
    public void HostStatHasTheX8664Layout()
    {
        Assert.Equal(144, sizeof(HostStat));
        Assert.Equal(16, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Nlink)));
        Assert.Equal(24, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Mode)));
        Assert.Equal(28, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Uid)));
        Assert.Equal(32, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Gid)));
        Assert.Equal(40, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Rdev)));
        Assert.Equal(48, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Size)));
        Assert.Equal(56, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Blksize)));
        Assert.Equal(64, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Blocks)));
        Assert.Equal(88, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.Mtime)));
        Assert.Equal(112, (int)Marshal.OffsetOf<HostStat>(nameof(HostStat.CtimeNsec)));
    }

    [Fact]
    public void StatConverterMovesEveryField()
    {
        var h = new HostStat
        {
            Dev = 0x801,
            Ino = 123456789,
            Nlink = 3,
            Mode = 0x81a4,
            Uid = 1000,
            Gid = 100,
            Rdev = 7,
            Size = 0x1_0000_0001,
            Blksize = 4096,
            Blocks = 16,
            Atime = 11,
            AtimeNsec = 12,
            Mtime = 13,
            MtimeNsec = 14,
            Ctime = 15,
            CtimeNsec = 16,
        };
        var g = StatConverter.ToGuest(h);
        byte* p = (byte*)&g;
        Assert.Equal(0x801UL, *(ulong*)(p + 0));
        Assert.Equal(123456789UL, *(ulong*)(p + 8));
        Assert.Equal(0x81a4u, *(uint*)(p + 16));
        Assert.Equal(3u, *(uint*)(p + 20));
        Assert.Equal(1000u, *(uint*)(p + 24));
        Assert.Equal(100u, *(uint*)(p + 28));
        Assert.Equal(7UL, *(ulong*)(p + 32));
        Assert.Equal(0x1_0000_0001L, *(long*)(p + 48));
        Assert.Equal(4096, *(int*)(p + 56));
        Assert.Equal(16L, *(long*)(p + 64));
        Assert.Equal(11L, *(long*)(p + 72));
        Assert.Equal(12L, *(long*)(p + 80));
        Assert.Equal(13L, *(long*)(p + 88));
        Assert.Equal(14L, *(long*)(p + 96));
        Assert.Equal(15L, *(long*)(p + 104));
        Assert.Equal(16L, *(long*)(p + 112));
    }

    [Fact]
    public void SigactionAndStackTHaveTheKernelLayout()
    {
        Assert.Equal(32, sizeof(GuestSigaction));
        Assert.Equal(0, (int)Marshal.OffsetOf<GuestSigaction>(nameof(GuestSigaction.Handler)));
        Assert.Equal(8, (int)Marshal.OffsetOf<GuestSigaction>(nameof(GuestSigaction.Flags)));
        Assert.Equal(16, (int)Marshal.OffsetOf<GuestSigaction>(nameof(GuestSigaction.Restorer)));
        Assert.Equal(24, (int)Marshal.OffsetOf<GuestSigaction>(nameof(GuestSigaction.Mask)));
        Assert.Equal(24, sizeof(GuestStackT));
        Assert.Equal(8, (int)Marshal.OffsetOf<GuestStackT>(nameof(GuestStackT.Flags)));
        Assert.Equal(16, (int)Marshal.OffsetOf<GuestStackT>(nameof(GuestStackT.Size)));
    }

    [Fact]
    public void EpollEventIsPackedOnTheHostAndAlignedOnTheGuest()
    {
        byte* guest = stackalloc byte[16];
        byte* host = stackalloc byte[12];
        new Span<byte>(guest, 16).Fill(0xee);
        *(uint*)guest = 0x80000001;
        *(ulong*)(guest + 8) = 0x1122334455667788;
        EpollEventConverter.GuestToHost(guest, host);
        Assert.Equal(0x80000001u, *(uint*)host);
        Assert.Equal(0x1122334455667788UL, *(ulong*)(host + 4));

        byte* back = stackalloc byte[16];
        new Span<byte>(back, 16).Fill(0xee);
        EpollEventConverter.HostToGuest(host, back);
        Assert.Equal(0x80000001u, *(uint*)back);
        Assert.Equal(0u, *(uint*)(back + 4));
        Assert.Equal(0x1122334455667788UL, *(ulong*)(back + 8));
    }
}
