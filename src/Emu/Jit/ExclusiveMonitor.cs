using System.Runtime.CompilerServices;
using Emu.Cpu;

namespace Emu.Jit;

/// <summary>
/// LDXR/STXR emulation, shared by both tiers. The load records address, size and value in the context;
/// the store succeeds only if the monitor is open on the same address and size and memory still holds
/// the recorded value, checked and written by one host compare-exchange. (So an ABA change between the
/// two goes unnoticed, as in qemu; real programs use exclusives for CAS loops where that is harmless.)
/// </summary>
public static unsafe class ExclusiveMonitor
{
    // Marks a pair in ExclusiveSize so a pair store does not match a single load of the same total size.
    private const ulong PairFlag = 0x100;

    // 16-byte pairs: .NET has no 16-byte CAS, so pair stores check and write under this lock.
    // Known limitation: this is atomic only against other pair stores, not against plain stores.
    private static readonly object PairLock = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Host(CpuContext* ctx, ulong address) => (byte*)(ctx->MemBase + (address & ctx->MemMask));

    public static ulong LoadExclusive(CpuContext* ctx, ulong address, ulong bytes)
    {
        ulong value = MemoryHelpers.Load(Host(ctx, address), (int)bytes);
        ctx->ExclusiveAddress = address;
        ctx->ExclusiveValue = value;
        ctx->ExclusiveSize = bytes;
        return value;
    }

    /// <summary>Returns 0 on success, 1 on failure; the monitor is closed either way.</summary>
    public static ulong StoreExclusive(CpuContext* ctx, ulong address, ulong value, ulong bytes)
    {
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
            lock (PairLock)
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
        byte* p = Host(ctx, address);
        ulong lo, hi;
        if (bytes == 4)
        {
            ulong both = Unsafe.ReadUnaligned<ulong>(p);
            lo = (uint)both;
            hi = both >> 32;
        }
        else
        {
            // Read both halves under the lock so a concurrent pair store is not seen half done.
            lock (PairLock)
            {
                lo = Unsafe.ReadUnaligned<ulong>(p);
                hi = Unsafe.ReadUnaligned<ulong>(p + 8);
            }
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
        lock (PairLock)
        {
            if (Unsafe.ReadUnaligned<ulong>(p) != ctx->ExclusiveValue || Unsafe.ReadUnaligned<ulong>(p + 8) != ctx->ExclusiveValueHigh)
                return 1;
            Unsafe.WriteUnaligned(p, lo);
            Unsafe.WriteUnaligned(p + 8, hi);
            return 0;
        }
    }

    public static void ClearExclusive(CpuContext* ctx) => ctx->ExclusiveSize = 0;

    public static void Barrier() => Interlocked.MemoryBarrier();
}
