using System.Runtime.CompilerServices;
using Emu.Cpu;

namespace Emu.Jit;

/// <summary>
/// LDXR/STXR emulation, shared by both tiers. The load records address, size and value in the context;
/// the store succeeds only if the monitor is open on the same address and size and memory still holds
/// the recorded value, checked and written by one host compare-exchange. (So an ABA change between the
/// two goes unnoticed, as in qemu; real programs use exclusives for CAS loops where that is harmless.)
/// 16-byte pairs store with the host's 16-byte compare-exchange, atomic against every other guest access.
/// Every exclusive access must be aligned to its size (the whole pair for LDXP/STXP), or it is an alignment
/// fault; the store checks before looking at the monitor, as the ARM ARM's ExclusiveMonitorsPass does.
/// </summary>
public static unsafe class ExclusiveMonitor
{
    // Marks a pair in ExclusiveSize so a pair store does not match a single load of the same total size.
    private const ulong PairFlag = 0x100;

    // Straddling 1/2-byte stores (unreachable while alignment is enforced) run under this lock.
    private static readonly object StraddleLock = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Host(CpuContext* ctx, ulong address) => (byte*)(ctx->MemBase + (address & ctx->MemMask));

    public static ulong LoadExclusive(CpuContext* ctx, ulong address, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes);
        ulong value = MemoryHelpers.Load(Host(ctx, address), (int)bytes);
        ctx->ExclusiveAddress = address;
        ctx->ExclusiveValue = value;
        ctx->ExclusiveSize = bytes;
        return value;
    }

    /// <summary>Returns 0 on success, 1 on failure; the monitor is closed either way.</summary>
    public static ulong StoreExclusive(CpuContext* ctx, ulong address, ulong value, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes);
        bool open = ctx->ExclusiveSize == bytes && ctx->ExclusiveAddress == address;
        ctx->ExclusiveSize = 0;
        if (!open) return 1;
        byte* p = Host(ctx, address);
        ulong expected = ctx->ExclusiveValue;
        switch (bytes)
        {
            case 8:
                return Interlocked.CompareExchange(ref *(ulong*)p, value, expected) == expected ? 0UL : 1UL;
            case 4:
                return Interlocked.CompareExchange(ref *(uint*)p, (uint)value, (uint)expected) == (uint)expected ? 0UL : 1UL;
            default:
                return CasSmall(p, value, expected, (int)bytes) ? 0UL : 1UL;
        }
    }

    // 1- and 2-byte CAS on the containing aligned 32-bit word; retries while only the other bytes change.
    private static bool CasSmall(byte* p, ulong value, ulong expected, int bytes)
    {
        int shift = (int)((ulong)p & 3) * 8;
        uint mask = bytes == 1 ? 0xFFu : 0xFFFFu;
        if (shift + bytes * 8 > 32)
        {
            // Straddles a word (misaligned; ARM would fault): best effort under the lock.
            lock (StraddleLock)
            {
                if (MemoryHelpers.Load(p, bytes) != (expected & mask)) return false;
                MemoryHelpers.Store(p, value, bytes);
                return true;
            }
        }
        uint* word = (uint*)((ulong)p & ~3UL);
        while (true)
        {
            uint old = Volatile.Read(ref *word);
            if (((old >> shift) & mask) != (uint)(expected & mask)) return false;
            uint updated = (old & ~(mask << shift)) | (((uint)value & mask) << shift);
            if (Interlocked.CompareExchange(ref *word, updated, old) == old) return true;
        }
    }

    /// <summary>LDXP: loads two values of <paramref name="bytes"/> (4 or 8) each; returns the first, the second goes to ExclusiveValueHigh.</summary>
    public static ulong LoadExclusivePair(CpuContext* ctx, ulong address, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes * 2);
        byte* p = Host(ctx, address);
        ulong lo, hi;
        if (bytes == 4)
        {
            ulong both = Volatile.Read(ref *(ulong*)p);
            lo = (uint)both;
            hi = both >> 32;
        }
        else
        {
            // Two reads: a pair torn by a concurrent store cannot match memory when STXP compares all 16 bytes.
            lo = Volatile.Read(ref *(ulong*)p);
            hi = Volatile.Read(ref *(ulong*)(p + 8));
        }
        ctx->ExclusiveAddress = address;
        ctx->ExclusiveValue = lo;
        ctx->ExclusiveValueHigh = hi;
        ctx->ExclusiveSize = bytes | PairFlag;
        return lo;
    }

    public static ulong LoadExclusiveHigh(CpuContext* ctx) => ctx->ExclusiveValueHigh;

    /// <summary>STXP: 0 on success, 1 on failure; the monitor is closed either way.</summary>
    public static ulong StoreExclusivePair(CpuContext* ctx, ulong address, ulong lo, ulong hi, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes * 2);
        bool open = ctx->ExclusiveSize == (bytes | PairFlag) && ctx->ExclusiveAddress == address;
        ctx->ExclusiveSize = 0;
        if (!open) return 1;
        byte* p = Host(ctx, address);
        if (bytes == 4)
        {
            ulong expected = (uint)ctx->ExclusiveValue | (ctx->ExclusiveValueHigh << 32);
            ulong updated = (uint)lo | ((ulong)(uint)hi << 32);
            return Interlocked.CompareExchange(ref *(ulong*)p, updated, expected) == expected ? 0UL : 1UL;
        }
        bool stored = Emu.Frontend.Translation.AtomicHelpers.CompareExchange16(p, ctx->ExclusiveValue, ctx->ExclusiveValueHigh, lo, hi, out _, out _);
        return stored ? 0UL : 1UL;
    }

    public static void ClearExclusive(CpuContext* ctx) => ctx->ExclusiveSize = 0;

    public static void Barrier() => Interlocked.MemoryBarrier();
}
