using System.Runtime.InteropServices;

namespace Emu.Linux.Abi;

/// <summary>
/// struct semid64_ds as aarch64 lays it out (asm-generic/sembuf.h, 64-bit): the ipc64_perm (48 bytes), then
/// sem_otime, sem_ctime, sem_nsems and two unused longs, 88 bytes in all.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct GuestSemidDs
{
    public fixed byte Perm[48];
    public long Otime;
    public long Ctime;
    public ulong Nsems;
    public ulong Unused3;
    public ulong Unused4;
}

/// <summary>
/// struct semid64_ds on x86_64 (arch/x86/include/uapi/asm/sembuf.h): a padding long follows each time
/// (left from the 32-bit layout), 104 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct HostSemidDs
{
    public fixed byte Perm[48];
    public long Otime;
    public ulong Unused1;
    public long Ctime;
    public ulong Unused2;
    public ulong Nsems;
    public ulong Unused3;
    public ulong Unused4;
}

/// <summary>semctl's IPC_STAT/SEM_STAT/IPC_SET buffer: the only SysV IPC structure whose layout differs.</summary>
public static unsafe class SemidConverter
{
    public static GuestSemidDs ToGuest(in HostSemidDs h)
    {
        var g = new GuestSemidDs { Otime = h.Otime, Ctime = h.Ctime, Nsems = h.Nsems };
        fixed (byte* src = h.Perm) new Span<byte>(src, 48).CopyTo(new Span<byte>(g.Perm, 48));
        return g;
    }

    public static HostSemidDs ToHost(in GuestSemidDs g)
    {
        var h = new HostSemidDs { Otime = g.Otime, Ctime = g.Ctime, Nsems = g.Nsems };
        fixed (byte* src = g.Perm) new Span<byte>(src, 48).CopyTo(new Span<byte>(h.Perm, 48));
        return h;
    }
}
