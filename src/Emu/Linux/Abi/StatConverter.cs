using System.Runtime.InteropServices;

namespace Emu.Linux.Abi;

/// <summary>x86_64 <c>struct stat</c> (arch/x86/include/uapi/asm/stat.h), 144 bytes, as the host kernel fills it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
public struct HostStat
{
    [FieldOffset(0)] public ulong Dev;
    [FieldOffset(8)] public ulong Ino;
    [FieldOffset(16)] public ulong Nlink;
    [FieldOffset(24)] public uint Mode;
    [FieldOffset(28)] public uint Uid;
    [FieldOffset(32)] public uint Gid;
    [FieldOffset(40)] public ulong Rdev;
    [FieldOffset(48)] public long Size;
    [FieldOffset(56)] public long Blksize;
    [FieldOffset(64)] public long Blocks;
    [FieldOffset(72)] public long Atime;
    [FieldOffset(80)] public long AtimeNsec;
    [FieldOffset(88)] public long Mtime;
    [FieldOffset(96)] public long MtimeNsec;
    [FieldOffset(104)] public long Ctime;
    [FieldOffset(112)] public long CtimeNsec;
}

/// <summary>aarch64 <c>struct stat</c> (the generic asm-generic/stat.h layout), 128 bytes, as the guest reads it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct GuestStat
{
    [FieldOffset(0)] public ulong Dev;
    [FieldOffset(8)] public ulong Ino;
    [FieldOffset(16)] public uint Mode;
    [FieldOffset(20)] public uint Nlink;
    [FieldOffset(24)] public uint Uid;
    [FieldOffset(28)] public uint Gid;
    [FieldOffset(32)] public ulong Rdev;
    [FieldOffset(48)] public long Size;
    [FieldOffset(56)] public int Blksize;
    [FieldOffset(64)] public long Blocks;
    [FieldOffset(72)] public long Atime;
    [FieldOffset(80)] public ulong AtimeNsec;
    [FieldOffset(88)] public long Mtime;
    [FieldOffset(96)] public ulong MtimeNsec;
    [FieldOffset(104)] public long Ctime;
    [FieldOffset(112)] public ulong CtimeNsec;
}

/// <summary>Host <c>struct stat</c> to the guest's.</summary>
public static class StatConverter
{
    public static GuestStat ToGuest(in HostStat h) => new()
    {
        Dev = h.Dev,
        Ino = h.Ino,
        Mode = h.Mode,
        // The guest field is 32 bits; a link count beyond that cannot be represented either way.
        Nlink = (uint)Math.Min(h.Nlink, uint.MaxValue),
        Uid = h.Uid,
        Gid = h.Gid,
        Rdev = h.Rdev,
        Size = h.Size,
        Blksize = (int)h.Blksize,
        Blocks = h.Blocks,
        Atime = h.Atime,
        AtimeNsec = (ulong)h.AtimeNsec,
        Mtime = h.Mtime,
        MtimeNsec = (ulong)h.MtimeNsec,
        Ctime = h.Ctime,
        CtimeNsec = (ulong)h.CtimeNsec,
    };
}
