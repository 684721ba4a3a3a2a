namespace Emu.Linux.Abi;

/// <summary>
/// open()/fcntl() flags: four bits differ between aarch64 (the generic asm-generic/fcntl.h values) and
/// x86_64; all others are the same.
/// </summary>
public static class OpenFlags
{
    public const int GuestDirectory = 0x4000, GuestNoFollow = 0x8000, GuestDirect = 0x10000, GuestLargeFile = 0x20000;
    public const int HostDirect = 0x4000, HostLargeFile = 0x8000, HostDirectory = 0x10000, HostNoFollow = 0x20000;
    public const int Cloexec = 0x80000, NonBlock = 0x800;
    private const int DifferingBits = 0x4000 | 0x8000 | 0x10000 | 0x20000;

    public static int GuestToHost(int flags) =>
        (flags & ~DifferingBits)
        | ((flags & GuestDirectory) != 0 ? HostDirectory : 0)
        | ((flags & GuestNoFollow) != 0 ? HostNoFollow : 0)
        | ((flags & GuestDirect) != 0 ? HostDirect : 0)
        | ((flags & GuestLargeFile) != 0 ? HostLargeFile : 0);

    public static int HostToGuest(int flags) =>
        (flags & ~DifferingBits)
        | ((flags & HostDirectory) != 0 ? GuestDirectory : 0)
        | ((flags & HostNoFollow) != 0 ? GuestNoFollow : 0)
        | ((flags & HostDirect) != 0 ? GuestDirect : 0)
        | ((flags & HostLargeFile) != 0 ? GuestLargeFile : 0);
}
