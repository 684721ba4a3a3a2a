using Emu.Cpu;
using Emu.Jit;
using Emu.Memory;
using Emu.Tests.Support;

namespace Emu.Tests.Dispatch;

/// <summary>
/// Cold blocks run back to back in the dispatcher's chain loop (Dispatcher.RunChain) without returning to its
/// outer loop: a fault in a later block must still be precise, a rewritten block must not be entered through
/// a stale link, and a signal must stop the chain.
/// </summary>
public unsafe class ColdChainTests
{
    [Fact]
    public void FaultInALaterChainedBlockStopsAtTheFaultingLoadWithTheRegistersBeforeIt()
    {
        // An alignment fault (an unaligned exclusive load): in-process tests cannot take host faults on their guest memory.
        uint[] code =
        [
            0xd2800021, // movz x1, #1
            0x14000001, // b +4
            0x91000821, // add x1, x1, #2
            0xd2a00202, // movz x2, #0x100000 (DataBase)
            0x91000442, // add x2, x2, #1
            0x14000001, // b +4
            0x91002823, // add x3, x1, #10
            0xd28000e4, // movz x4, #7
            0xc85f7c45, // ldxr x5, [x2]     <- faults: unaligned
            0xd2800126, // movz x6, #9
        ];
        CpuTestHarness.RunBothTiers(code, h =>
        {
            for (int r = 1; r <= 6; r++) h[r] = 0x5555;
        }, h =>
        {
            Assert.Equal(ExitReason.MemoryFault, h.StopReason);
            Assert.Equal(CpuTestHarness.CodeBase + 8 * 4, h.StopPc);
            Assert.Equal(CpuTestHarness.DataBase + 1, h.Ctx->FaultAddress);
            Assert.Equal(3UL, h[1]);
            Assert.Equal(CpuTestHarness.DataBase + 1, h[2]);
            Assert.Equal(13UL, h[3]);
            Assert.Equal(7UL, h[4]);
            Assert.Equal(0x5555UL, h[5]);
            Assert.Equal(0x5555UL, h[6]);
        });
    }

    [Fact]
    public void RewrittenCalleeRunsItsNewCodeAfterInstructionCacheInvalidate()
    {
        // The callee on its own 64-byte line, so that IC IVAU drops it but not the caller, whose link to it goes stale.
        const ulong target = CpuTestHarness.CodeBase + 0x80;
        var code = new uint[34];
        Array.Fill(code, 0xd503201fu); // nop
        uint[] head =
        [
            0xd2800000, // movz x0, #0
            0xd280000c, // movz x12, #0
            0x9400001e, // loop: bl target
            0x8b00018c, // add x12, x12, x0
            0xf10009bf, // cmp x13, #2
            0x54000160, // b.eq done
            0x910005ad, // add x13, x13, #1
            0xf10009bf, // cmp x13, #2
            0x54ffff41, // b.ne loop         (the second call links the loop block to the callee)
            0xb900014b, // str w11, [x10]   (rewrites the callee's first word)
            0xd50b7b2a, // dc cvau, x10
            0xd5033b9f, // dsb ish
            0xd50b752a, // ic ivau, x10
            0xd5033b9f, // dsb ish
            0xd5033fdf, // isb
            0x17fffff3, // b loop
            0x14000012, // done: b end (the BRK after the code)
        ];
        head.CopyTo(code, 0);
        code[32] = 0xd2800020; // target: movz x0, #1
        code[33] = 0xd65f03c0; // ret
        CpuTestHarness.RunBothTiers(code, h =>
        {
            h[10] = target;
            h[11] = 0xd2800040; // movz x0, #2
            h[13] = 0;
        }, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            Assert.Equal(2UL, h[0]);
            Assert.Equal(4UL, h[12]); // 1 + 1 from the old code, then 2 from the new
        });
    }

    [Fact]
    public void SignalAttentionStopsAnEndlessColdLoop()
    {
        var guest = new SpinningGuest();
        var run = new Thread(() => guest.Run()) { IsBackground = true };
        run.Start();
        Thread.Sleep(50);
        guest.RaiseSignal();
        // (Not disposed if it keeps running: its memory must outlive the thread.)
        Assert.True(run.Join(TimeSpan.FromSeconds(20)), "the cold loop did not stop for the signal");
        Assert.True(guest.Delivered);
        Assert.True(guest.Iterations > 0);
        guest.Dispose();
    }

    /// <summary>A guest spinning in `add x0, x0, #1; b .-4`, all in the cold tier; a signal sends it to a BRK.</summary>
    private sealed class SpinningGuest : IGuestEnvironment, IDisposable
    {
        private const ulong CodeBase = 0x10000;
        private readonly GuestMemory _memory = new(32);
        private readonly CpuContext* _ctx = CpuContext.Allocate();
        private volatile bool _delivered;

        public bool Delivered => _delivered;
        public ulong Iterations => _ctx->X[0];

        public SpinningGuest()
        {
            _memory.MapFixed(CodeBase, 0x1000, GuestProt.Read | GuestProt.Write | GuestProt.Exec, "code");
            _memory.Write(CodeBase, 0x91000400u); // add x0, x0, #1
            _memory.Write(CodeBase + 4, 0x17ffffffu); // b .-4
            _memory.Write(CodeBase + 8, CpuTestHarness.Brk0);
            _ctx->MemBase = (ulong)_memory.Base;
            _ctx->MemMask = _memory.Mask;
            _ctx->Pc = CodeBase;
        }

        public void Run() => new Dispatcher(_memory, this, new TranslatorOptions { Tier1Threshold = -1, BackgroundCompile = false }).Run(_ctx);

        public void RaiseSignal() => Volatile.Write(ref _ctx->SignalAttention, 1);

        int? IGuestEnvironment.HandleExit(CpuContext* ctx) => 0;

        void IGuestEnvironment.DeliverAsyncSignals(CpuContext* ctx)
        {
            if (ctx->SignalAttention == 0) return;
            ctx->SignalAttention = 0;
            ctx->Pc = CodeBase + 8;
            _delivered = true;
        }

        public void Dispose()
        {
            CpuContext.Free(_ctx);
            _memory.Dispose();
        }
    }
}
