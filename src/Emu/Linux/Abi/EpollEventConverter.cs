using System.Runtime.CompilerServices;

namespace Emu.Linux.Abi;

/// <summary>
/// <c>struct epoll_event</c> {u32 events; u64 data}: packed (12 bytes, data at 4) on x86_64, naturally
/// aligned (16 bytes, data at 8) on aarch64.
/// </summary>
public static unsafe class EpollEventConverter
{
    public const int GuestSize = 16, GuestDataOffset = 8;
    public const int HostSize = 12, HostDataOffset = 4;

    public static void GuestToHost(byte* guest, byte* host)
    {
        Unsafe.WriteUnaligned(host, Unsafe.ReadUnaligned<uint>(guest));
        Unsafe.WriteUnaligned(host + HostDataOffset, Unsafe.ReadUnaligned<ulong>(guest + GuestDataOffset));
    }

    public static void HostToGuest(byte* host, byte* guest)
    {
        Unsafe.WriteUnaligned(guest, Unsafe.ReadUnaligned<uint>(host));
        Unsafe.WriteUnaligned(guest + 4, 0u);
        Unsafe.WriteUnaligned(guest + GuestDataOffset, Unsafe.ReadUnaligned<ulong>(host + HostDataOffset));
    }
}
