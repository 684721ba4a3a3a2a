using System.Runtime.InteropServices;
using Emu.Cpu;
using Emu.Frontend.Translation;
using Emu.Jit;

namespace Emu.Tests.Atomics;

/// <summary>
/// 128-bit CASP and LDXP/STXP must be atomic against every other access to the same 16 bytes, not only against
/// each other: one thread increments the low half with 16-byte CASP (or LDXP/STXP) loops that rewrite the high
/// half with the value they read, while another thread increments the high half with 8-byte atomic adds
/// (as a guest LDADD would). A pair update that read the high half, then lost a race to the adder and wrote back
/// its stale copy, would lose increments.
/// </summary>
public unsafe class PairAtomicityTests
{
    private const int Iterations = 200_000;

    private static void RunRace(delegate*<CpuContext*, void> pairIncrement)
    {
        byte* mem = (byte*)NativeMemory.AlignedAlloc(64, 64);
        CpuContext* ctx = CpuContext.Allocate();
        try
        {
            new Span<byte>(mem, 64).Clear();
            ctx->MemBase = (ulong)mem;
            ctx->MemMask = ulong.MaxValue;
            var adder = new Thread(() =>
            {
                for (int i = 0; i < Iterations; i++) Interlocked.Increment(ref *(ulong*)(mem + 8));
            });
            adder.Start();
            for (int i = 0; i < Iterations; i++) pairIncrement(ctx);
            adder.Join();
            Assert.Equal((ulong)Iterations, *(ulong*)mem);
            Assert.Equal((ulong)Iterations, *(ulong*)(mem + 8));
        }
        finally
        {
            CpuContext.Free(ctx);
            NativeMemory.AlignedFree(mem);
        }
    }

    [Fact]
    public void CaspIsAtomicAgainstOtherWriters() => RunRace(&CaspIncrement);

    private static void CaspIncrement(CpuContext* ctx)
    {
        while (true)
        {
            ulong lo = Volatile.Read(ref *(ulong*)ctx->MemBase), hi = Volatile.Read(ref *(ulong*)(ctx->MemBase + 8));
            ulong oldLo = AtomicHelpers.CompareAndSwapPair(ctx, 0, lo, hi, lo + 1, hi, 8);
            ulong oldHi = AtomicHelpers.CompareAndSwapPairHigh();
            if (oldLo == lo && oldHi == hi) return;
        }
    }

    [Fact]
    public void StxpIsAtomicAgainstOtherWriters() => RunRace(&StxpIncrement);

    private static void StxpIncrement(CpuContext* ctx)
    {
        while (true)
        {
            ulong lo = ExclusiveMonitor.LoadExclusivePair(ctx, 0, 8);
            ulong hi = ExclusiveMonitor.LoadExclusiveHigh(ctx);
            if (ExclusiveMonitor.StoreExclusivePair(ctx, 0, lo + 1, hi, 8) == 0) return;
        }
    }

    [Fact]
    public void CaspReturnsTheOldPairAndStoresOnlyOnMatch()
    {
        byte* mem = (byte*)NativeMemory.AlignedAlloc(32, 16);
        CpuContext* ctx = CpuContext.Allocate();
        try
        {
            ctx->MemBase = (ulong)mem;
            ctx->MemMask = ulong.MaxValue;
            *(ulong*)mem = 0x1111;
            *(ulong*)(mem + 8) = 0x2222;
            Assert.Equal(0x1111UL, AtomicHelpers.CompareAndSwapPair(ctx, 0, 0x1111, 0x9999, 5, 6, 8));
            Assert.Equal(0x2222UL, AtomicHelpers.CompareAndSwapPairHigh());
            Assert.Equal(0x1111UL, *(ulong*)mem); // high half differed: no store
            Assert.Equal(0x1111UL, AtomicHelpers.CompareAndSwapPair(ctx, 0, 0x1111, 0x2222, 5, 6, 8));
            Assert.Equal(5UL, *(ulong*)mem);
            Assert.Equal(6UL, *(ulong*)(mem + 8));
        }
        finally
        {
            CpuContext.Free(ctx);
            NativeMemory.AlignedFree(mem);
        }
    }
}
