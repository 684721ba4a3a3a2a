using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Emu.Jit;

/// <summary>
/// A guest access that must be naturally aligned was not: the ARM alignment fault, which Linux reports as
/// SIGBUS with BUS_ADRALN and si_addr = the address. Thrown by the helpers of the ordered, exclusive and
/// atomic accesses; the dispatcher replays the block to the faulting instruction, as for a host fault.
/// </summary>
public sealed class GuestAlignmentFaultException(ulong address) : Exception($"alignment fault at 0x{address:x}")
{
    public ulong Address { get; } = address;
}

/// <summary>
/// Alignment rules of the accesses without FEAT_LSE2 (we do not advertise HWCAP_USCAT, and qemu-aarch64 7.2
/// has no LSE2 either): load-acquire/store-release (LDAR, STLR, LDAPR, LDAPUR, STLUR), exclusives and LSE
/// atomics need an address aligned to the access size (the whole pair for LDXP/STXP/CASP).
/// </summary>
public static class AlignmentCheck
{
    /// <summary>SIGBUS si_code for an alignment fault.</summary>
    public const int BusAdraln = 1;

    /// <summary>IR helper: faults unless <paramref name="address"/> is a multiple of <paramref name="bytes"/> (a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Require(ulong address, ulong bytes)
    {
        if ((address & (bytes - 1)) != 0) Fault(address);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fault(ulong address) => throw new GuestAlignmentFaultException(address);
}
